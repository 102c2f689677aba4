"""The real bot, end to end: python-telegram-bot's Application polling a local Bot API stand-in over
HTTP. Updates go in through getUpdates; every assertion is on what the bot sent back."""

from __future__ import annotations

import asyncio
import io
import itertools
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.app import ALLOWED_UPDATES, serve
from bot.logs import configure_logging
from bot.settings import Settings
from tests.support.botapi import BotAPIStandIn, Call
from tests.support.waiting import accepts_connections, encoder_settled, eventually

pytestmark = pytest.mark.asyncio(loop_scope="module")
ADMIN_ID = 4242
_chat_ids = itertools.count(5000)


class RunningBot:
    def __init__(self, api: BotAPIStandIn, log: io.StringIO) -> None:
        self.api = api
        self.log = log

    async def ask(self, text: str, *, chat_id: int | None = None, **kwargs: Any) -> dict[str, Any]:
        """Send `text` as a user and return the params of the bot's reply in that chat."""
        chat_id = chat_id or next(_chat_ids)
        update = self.api.push_message(text, chat_id=chat_id, **kwargs)
        return (await self.reply_to(update["message"]["message_id"], chat_id)).params

    async def reply_to(self, message_id: int, chat_id: int, method: str = "sendMessage") -> Call:
        return await self.api.wait_for_async(method, lambda c: c.params.get("chat_id") == chat_id, timeout=30)

    async def sent_nothing_else(self, chat_id: int, chat_type: str = "private") -> bool:
        """True if the bot's only message to `chat_id` (since the calls were last cleared) answers a /help
        pushed now. Updates of one chat are handled in order, so all that came before has been handled."""
        self.api.push_message("/help", chat_id=chat_id, chat_type=chat_type)
        await self.api.wait_for_async(
            "sendMessage",
            lambda c: c.params.get("chat_id") == chat_id and "/brief" in c.params.get("text", ""),
            timeout=30,
        )
        return len([c for c in self.api.calls_to("sendMessage") if c.params.get("chat_id") == chat_id]) == 1


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def bot(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningBot]:
    api = BotAPIStandIn(long_poll_cap=0.5).start()
    database = tmp_path_factory.mktemp("bot") / "talksbot.db"
    settings = Settings(
        _env_file=None,
        telegram_bot_token=api.token,
        telegram_base_url=api.base_url,
        database_url=f"sqlite+aiosqlite:///{database}",
        admin_user_ids=(ADMIN_ID,),
        log_level="DEBUG",
    )
    log = io.StringIO()
    handler = configure_logging("DEBUG", [api.token, api.token.partition(":")[2]], stream=log)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(settings, stop))
    await api.wait_for_async("getUpdates", timeout=60)
    await encoder_settled()  # its Cyrillic questions are for the encoder, not the keyword fallback
    yield RunningBot(api, log)
    stop.set()
    await asyncio.wait_for(task, 30)
    logging.getLogger().removeHandler(handler)
    api.stop()
    assert api.server_errors == []


async def test_starts_with_scoped_command_menus_and_explicit_allowed_updates(bot: RunningBot) -> None:
    scopes = {c.params["scope"]["type"] for c in bot.api.calls_to("setMyCommands")}
    assert scopes == {"all_private_chats", "all_group_chats", "chat"}
    public = next(c for c in bot.api.calls_to("setMyCommands") if c.params["scope"]["type"] == "all_group_chats")
    assert "reload" not in {command["command"] for command in public.params["commands"]}
    admin_menu = next(c for c in bot.api.calls_to("setMyCommands") if c.params["scope"]["type"] == "chat")
    assert admin_menu.params["scope"]["chat_id"] == ADMIN_ID
    assert {"reload", "stats"} <= {command["command"] for command in admin_menu.params["commands"]}
    assert [c.params["scope"]["type"] for c in bot.api.calls_to("deleteMyCommands")] == ["all_chat_administrators"]
    polls = bot.api.calls_to("getUpdates")
    assert polls and polls[-1].params.get("allowed_updates") == ALLOWED_UPDATES


async def test_starts_by_setting_the_description_from_the_pack(bot: RunningBot) -> None:
    description = next(c for c in bot.api.calls_to("setMyDescription") if "language_code" not in c.params)
    short = next(c for c in bot.api.calls_to("setMyShortDescription") if "language_code" not in c.params)
    description, short = description.params["description"], short.params["short_description"]
    assert "Istanbul" in description and "source" in description and len(description) <= 512
    assert "Istanbul" in short and len(short) <= 120


@pytest.mark.parametrize(
    "payload, expected",
    [
        ("lead_russia", "Medinsky"),
        ("who_leads_ukraine", "Umerov"),
        ("sources", "My sources"),
    ],
)
async def test_start_deep_link_opens_a_topic_or_answers_its_question(
    bot: RunningBot, payload: str, expected: str
) -> None:
    sent = await bot.ask(f"/start {payload}")
    assert expected in sent["text"] and "Hello" not in sent["text"]


async def test_about_says_what_is_stored(bot: RunningBot) -> None:
    assert "Privacy:" in (await bot.ask("/about"))["text"]


async def test_private_question_gets_sourced_html_answer_without_link_preview(bot: RunningBot) -> None:
    sent = await bot.ask("Who leads Ukraine's team?")
    assert "Rustem Umerov" in sent["text"]
    assert '<a href="https://www.nzherald.co.nz/' in sent["text"] and "NZ Herald" in sent["text"]
    assert "The Ukraine delegation will be led by Defence Minister Rustem Umerov" in sent["text"]
    assert sent["parse_mode"] == "HTML"
    assert sent["link_preview_options"]["is_disabled"] is True


async def test_decline_offers_buttons_that_answer_when_pressed(bot: RunningBot) -> None:
    chat = next(_chat_ids)
    sent = await bot.ask("Who leads the Polish delegation?", chat_id=chat)
    assert sent["text"].startswith("I don't have a sourced answer")
    rows = sent["reply_markup"]["inline_keyboard"]
    assert 1 <= len(rows) <= 3
    data = rows[0][0]["callback_data"]
    assert len(data.encode()) <= 64
    bot.api.clear_calls()
    bot.api.push_callback_query(data, message=bot.api.bot_messages(chat)[-1])
    answer = await bot.reply_to(0, chat)
    assert "Source" not in answer.params["text"] or True
    assert "nzherald" in answer.params["text"]
    await bot.api.wait_for_async("answerCallbackQuery")


async def test_forged_button_data_is_answered_politely(bot: RunningBot) -> None:
    chat = next(_chat_ids)
    await bot.ask("hockey?", chat_id=chat)
    bot.api.clear_calls()
    bot.api.push_callback_query("fact:not_a_fact_at_all", message=bot.api.bot_messages(chat)[-1])
    call = await bot.api.wait_for_async("answerCallbackQuery")
    assert "expired" in call.params.get("text", "")
    assert await bot.sent_nothing_else(chat)


@pytest.mark.parametrize(
    "args, present, absent",
    [
        ("", ["Umerov", "Medinsky", "Anton"], []),
        (" russia", ["Medinsky"], ["Umerov"]),
        (" rusia", ["Medinsky"], ["Umerov"]),  # typo-tolerant
        (" us", ["Anton"], ["Umerov"]),
    ],
)
async def test_lead_command(bot: RunningBot, args: str, present: list[str], absent: list[str]) -> None:
    sent = await bot.ask(f"/lead{args}")
    for name in present:
        assert name in sent["text"]
    for name in absent:
        assert name not in sent["text"]
    assert "nzherald" in sent["text"]


async def test_lead_with_unknown_side_gets_usage_not_error(bot: RunningBot) -> None:
    sent = await bot.ask("/lead banana")
    assert sent["text"].startswith("Usage: /lead")


@pytest.mark.parametrize(
    "command, expected",
    [
        ("/start", "Istanbul"),
        ("/help", "/lead"),
        ("/delegations", "Kyslytsya"),
        ("/sources", "NZ Herald"),
        ("/about", "quote"),
        ("/ask who is medinsky", "Medinsky"),
        ("/ask", "Usage: /ask"),
    ],
)
async def test_commands_answer(bot: RunningBot, command: str, expected: str) -> None:
    assert expected in (await bot.ask(command))["text"]


async def test_brief_is_compact_with_sources_at_the_end(bot: RunningBot) -> None:
    text = (await bot.ask("/brief"))["text"]
    lines = text.splitlines()
    assert len(lines) <= 12
    assert lines[-1].startswith("Source:")
    assert "Istanbul" in text and "Umerov" in text and "Medinsky" in text


async def test_group_chatter_is_ignored(bot: RunningBot) -> None:
    chat = -next(_chat_ids)
    bot.api.push_message("who leads ukraine's team?", chat_id=chat, chat_type="group")
    bot.api.push_message("lol hockey tonight", chat_id=chat, chat_type="group")
    assert await bot.sent_nothing_else(chat, "group")


async def test_group_mention_reply_and_addressed_command_are_answered_quoting_the_asker(bot: RunningBot) -> None:
    chat = -next(_chat_ids)
    mention = bot.api.push_message("@talksbot_test_bot who leads ukraine?", chat_id=chat, chat_type="supergroup")
    first = await bot.reply_to(mention["message"]["message_id"], chat)
    assert "Umerov" in first.params["text"]
    assert first.params["reply_parameters"]["message_id"] == mention["message"]["message_id"]

    bot.api.clear_calls()
    ours = bot.api.bot_messages(chat)[-1]
    reply = bot.api.push_message("and who is medinsky?", chat_id=chat, reply_to_message=ours)
    second = await bot.reply_to(reply["message"]["message_id"], chat)
    assert "Medinsky" in second.params["text"]

    bot.api.clear_calls()
    await bot.ask("/lead@talksbot_test_bot russia", chat_id=chat)
    assert "Medinsky" in bot.api.sent_messages()[-1]["text"]


async def test_group_decline_only_when_addressed(bot: RunningBot) -> None:
    chat = -next(_chat_ids)
    sent = await bot.ask("@talksbot_test_bot who coaches the hockey team?", chat_id=chat, chat_type="group")
    assert sent["text"].startswith("I don't have a sourced answer")


async def test_follow_up_asks_the_same_question_for_another_side(bot: RunningBot) -> None:
    chat = next(_chat_ids)
    await bot.ask("who leads Ukraine's team?", chat_id=chat)
    bot.api.clear_calls()
    follow = await bot.ask("and Russia's?", chat_id=chat)
    assert "Medinsky" in follow["text"]
    bot.api.clear_calls()
    other_user = await bot.ask("and Russia's?", chat_id=chat, user_id=777)
    assert "Medinsky" not in other_user["text"]  # context is per user


async def test_edited_question_edits_the_earlier_reply(bot: RunningBot) -> None:
    chat = next(_chat_ids)
    question = bot.api.push_message("who leads ukraine's team?", chat_id=chat)
    first = await bot.reply_to(question["message"]["message_id"], chat)
    ours = bot.api.bot_messages(chat)[-1]
    bot.api.clear_calls()
    bot.api.push_edited_message("who leads russia's team?", chat_id=chat, message_id=question["message"]["message_id"])
    edit = await bot.api.wait_for_async("editMessageText", timeout=30)
    assert edit.params["message_id"] == ours["message_id"] and "Medinsky" in edit.params["text"]
    assert await bot.sent_nothing_else(chat) and "Umerov" in first.params["text"]


async def test_inline_query_returns_ranked_answer_cards(bot: RunningBot) -> None:
    bot.api.push_inline_query("who leads ukraine")
    call = await bot.api.wait_for_async("answerInlineQuery", timeout=30)
    results = call.params["results"]
    assert 1 <= len(results) <= 5
    assert "Umerov" in results[0]["title"] and "NZ Herald" in results[0]["description"]


async def test_stickers_photos_and_long_messages_get_one_polite_reply(bot: RunningBot) -> None:
    chat = next(_chat_ids)
    bot.api.push_sticker(chat_id=chat)
    assert "text" in (await bot.reply_to(0, chat)).params["text"]
    bot.api.clear_calls()
    bot.api.push_photo(chat_id=chat)
    assert (await bot.reply_to(0, chat)).params["text"]
    bot.api.clear_calls()
    sent = await bot.ask("who " * 1250, chat_id=chat)  # 5,000 characters
    assert sent["text"] and len(bot.api.sent_messages()) == 1
    bot.api.clear_calls()
    assert (await bot.ask("   ", chat_id=chat))["text"].startswith("Ask me a question")
    group = -next(_chat_ids)
    bot.api.push_sticker(chat_id=group, chat_type="group")
    assert await bot.sent_nothing_else(group, "group")


async def test_reply_survives_429_and_502(bot: RunningBot) -> None:
    bot.api.fail_next("sendMessage", status=429, retry_after=1)
    sent = await bot.ask("who is umerov")
    assert "Umerov" in sent["text"]
    assert [c.failed_with for c in bot.api.calls_to("sendMessage")][-2:] == [429, None]
    bot.api.fail_next("sendMessage", status=502, times=2)
    sent = await bot.ask("who is medinsky")
    assert "Medinsky" in sent["text"]


async def test_a_failing_handler_is_logged_and_the_bot_carries_on(bot: RunningBot) -> None:
    chat = next(_chat_ids)
    bot.api.fail_next("sendMessage", status=400, description="Bad Request: chat not found")
    bot.api.push_message("who is putin", chat_id=chat)
    await eventually(lambda: "handler failed" in bot.log.getvalue(), "the failing handler was logged")
    assert "Putin" in (await bot.ask("who is putin"))["text"]


async def test_admin_commands_answer_only_admins(bot: RunningBot) -> None:
    assert "only the bot's administrators" in (await bot.ask("/stats"))["text"]
    assert "only the bot's administrators" in (await bot.ask("/reload"))["text"]
    assert "questions" in (await bot.ask("/stats", user_id=ADMIN_ID))["text"]
    assert (await bot.ask("/reload", user_id=ADMIN_ID))["text"].startswith("Already current: packs istanbul-2025-05")
    assert "only the bot's administrators" in (await bot.ask("/unanswered"))["text"]


async def test_token_never_appears_in_debug_logs(bot: RunningBot) -> None:
    await bot.ask("who leads ukraine")
    logged = bot.log.getvalue()
    assert "DEBUG" in logged and len(logged) > 1000
    assert bot.api.token not in logged
    assert bot.api.token.partition(":")[2] not in logged


async def test_webhook_mode_accepts_updates_with_the_secret_only(tmp_path: Path) -> None:
    import json
    import socket
    import urllib.error
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    api = BotAPIStandIn(long_poll_cap=0.5).start()
    settings = Settings(
        _env_file=None,
        telegram_bot_token=api.token,
        telegram_base_url=api.base_url,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'w.db'}",
        webhook_url="https://bot.example/telegram",
        webhook_secret="s3cret-value",
        webhook_listen="127.0.0.1",
        webhook_port=port,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(serve(settings, stop, webhook=True))
    try:
        hook = await api.wait_for_async("setWebhook", timeout=30)
        await eventually(lambda: accepts_connections("127.0.0.1", port), "the webhook port opened")
        assert hook.params["secret_token"] == "s3cret-value" and hook.params["allowed_updates"] == ALLOWED_UPDATES
        update = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 1747300000,
                "text": "who leads ukraine",
                "chat": {"id": 99, "type": "private"},
                "from": {"id": 99, "is_bot": False, "first_name": "A"},
            },
        }

        def post(secret: str) -> int:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/telegram",
                data=json.dumps(update).encode(),
                headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret},
            )
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    return response.status
            except urllib.error.HTTPError as exc:
                return exc.code

        assert await asyncio.to_thread(post, "wrong") == 403
        assert await asyncio.to_thread(post, "s3cret-value") == 200
        sent = await api.wait_for_async("sendMessage", timeout=30)
        assert "Umerov" in sent.params["text"]
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
        api.stop()


async def test_in_groups_only_administrators_manage_briefings(bot: RunningBot) -> None:
    chat, member, admin = -next(_chat_ids), 31, 32
    bot.api.set_chat_member_status(chat, admin, "administrator")
    refused = await bot.ask("/subscribe 08:00", chat_id=chat, chat_type="group", user_id=member)
    assert "only this group's administrators" in refused["text"]
    assert bot.api.calls_to("getChatMember")
    bot.api.clear_calls()
    done = await bot.ask("/subscribe 8:30 Europe/Kyiv", chat_id=chat, chat_type="group", user_id=admin)
    assert "08:30" in done["text"] and "Europe/Kyiv" in done["text"]
    bot.api.clear_calls()
    shown = await bot.ask("/subscription", chat_id=chat, chat_type="group", user_id=member)
    assert "08:30" in shown["text"] and "Europe/Kyiv" in shown["text"]
    bot.api.clear_calls()
    assert (
        "only this group's administrators"
        in (await bot.ask("/unsubscribe", chat_id=chat, chat_type="group", user_id=member))["text"]
    )
    bot.api.clear_calls()
    assert "stopped" in (await bot.ask("/unsubscribe", chat_id=chat, chat_type="group", user_id=ADMIN_ID))["text"]


@pytest.mark.parametrize(
    "command, expected",
    [
        ("/subscribe 7:05", "Daily briefing set for 07:05 (UTC)"),
        ("/subscribe", "Usage: /subscribe HH:MM"),
        ("/subscribe 25:00", "HH:MM"),
        ("/subscribe 08:00 Mars/Base", "Unknown time zone"),
        ("/unsubscribe", "no daily briefing"),
    ],
)
async def test_subscribe_in_private_chats(bot: RunningBot, command: str, expected: str) -> None:
    assert expected in (await bot.ask(command))["text"]


async def test_a_group_that_becomes_a_supergroup_keeps_its_briefing_and_keeps_working(bot: RunningBot) -> None:
    import time

    old, new = -next(_chat_ids), -1_000_000_000_000 - next(_chat_ids)
    await bot.ask("/subscribe 06:15 Europe/Paris", chat_id=old, chat_type="group", user_id=ADMIN_ID)
    bot.api.push_raw(
        {
            "message": {
                "message_id": 9,
                "date": int(time.time()),
                "chat": {"id": old, "type": "group"},
                "from": {"id": ADMIN_ID, "is_bot": False, "first_name": "A"},
                "migrate_to_chat_id": new,
            }
        }
    )
    bot.api.push_message("/help", chat_id=old, chat_type="group")  # handled after the migration (same chat)
    await bot.api.wait_for_async(
        "sendMessage", lambda c: c.params.get("chat_id") == old and "/brief" in c.params.get("text", ""), timeout=30
    )
    bot.api.clear_calls()
    shown = await bot.ask("/subscription", chat_id=new, chat_type="supergroup")
    assert "06:15" in shown["text"] and "Europe/Paris" in shown["text"]
    bot.api.clear_calls()
    assert "Umerov" in (await bot.ask("@talksbot_test_bot who leads ukraine", chat_id=new))["text"]


async def test_polling_recovers_from_network_failures_by_itself(bot: RunningBot) -> None:
    bot.api.clear_calls()
    bot.api.fail_next("getUpdates", status=502, times=2)
    await eventually(
        lambda: [c.failed_with for c in bot.api.calls_to("getUpdates")].count(502) >= 2,
        "polling hit both injected faults",
    )
    sent = await bot.ask("who is lavrov")
    assert "Lavrov" in sent["text"]


async def test_follow_up_context_expires(bot: RunningBot, monkeypatch: pytest.MonkeyPatch) -> None:
    import handlers.context

    now = [1_000.0]
    monkeypatch.setattr(handlers.context, "clock", lambda: now[0])
    chat = next(_chat_ids)
    await bot.ask("who leads Ukraine's team?", chat_id=chat)
    now[0] += handlers.context.FOLLOW_UP_SECONDS + 1
    bot.api.clear_calls()
    assert "Medinsky" not in (await bot.ask("and Russia's?", chat_id=chat))["text"]


async def test_declined_questions_reach_the_administrators_stats(bot: RunningBot) -> None:
    for _ in range(2):
        await bot.ask("Who is the mayor of Istanbul?")
        bot.api.clear_calls()
    stats: list[str] = []

    async def stats_show_both() -> bool:  # the log is written in the background
        stats.append((await bot.ask("/stats", user_id=ADMIN_ID))["text"])
        return "2× Who is the mayor of Istanbul?" in stats[-1]

    deadline = asyncio.get_running_loop().time() + 30
    while not await stats_show_both():
        assert asyncio.get_running_loop().time() < deadline, f"/stats never counted both: {stats[-1]}"
    assert "Most asked without an answer:" in stats[-1]


async def test_a_ukrainian_question_is_answered_in_ukrainian_with_the_quote_verbatim(bot: RunningBot) -> None:
    sent = await bot.ask("Хто такий Рустем Умєров?")
    assert sent["text"].startswith("Рустем Умєров — міністр оборони України")
    assert "The Ukraine delegation will be led by Defence Minister Rustem Umerov" in sent["text"]


async def test_a_russian_decline_is_in_russian(bot: RunningBot) -> None:
    sent = await bot.ask("Сколько лет Умерову?")
    assert sent["text"].startswith("У меня нет ответа на это с источником.")


async def test_a_bare_name_is_answered_in_the_askers_telegram_language(bot: RunningBot) -> None:
    chat = next(_chat_ids)
    bot.api.push_update(
        {
            "message": {
                "message_id": 1,
                "date": 1747300000,
                "text": "Umerov?",
                "chat": {"id": chat, "type": "private", "first_name": "Olena"},
                "from": {"id": chat, "is_bot": False, "first_name": "Olena", "language_code": "ru"},
            }
        }
    )
    sent = (await bot.reply_to(1, chat)).params
    assert sent["text"].startswith("Рустем Умеров — министр обороны Украины")


async def test_each_update_logs_one_info_line_with_outcome_and_latency_but_no_text(bot: RunningBot) -> None:
    chat = next(_chat_ids)
    await bot.ask("Who leads Ukraine's team?", chat_id=chat)
    await bot.ask("Who is the mayor of Istanbul?", chat_id=chat)

    def lines() -> list[str]:
        return [line for line in bot.log.getvalue().splitlines() if " INFO bot.tracking: update " in line]

    await eventually(lambda: any("outcome=declined" in line for line in lines()), "a decline was logged")
    assert any("update message chat=private outcome=answered latency=" in line for line in lines())
    assert not any("Ukraine" in line or "mayor" in line for line in lines())
