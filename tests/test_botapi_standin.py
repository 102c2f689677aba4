"""The Bot API stand-in must work with real PTB over real HTTP, or e2e tests prove nothing."""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import pytest_asyncio
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    ChatMemberAdministrator,
    ChatMemberBanned,
    ChatMemberLeft,
    ChatMemberMember,
    ChatMemberOwner,
    ChatMemberRestricted,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.error import ChatMigrated, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from tests.support.botapi import BotAPIStandIn, Call, UploadedFile


@pytest.fixture
def standin() -> Iterator[BotAPIStandIn]:
    with BotAPIStandIn() as api:
        yield api
        assert api.server_errors == []


@pytest_asyncio.fixture
async def bot(standin: BotAPIStandIn) -> AsyncIterator[Bot]:
    async with Bot(standin.token, base_url=standin.base_url) as the_bot:
        yield the_bot


def _keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("Yes", callback_data="vote:yes")]])


# ------------------------------------------------------------------ plain Bot


@pytest.mark.asyncio
async def test_get_me_and_initialize_cache(standin: BotAPIStandIn, bot: Bot) -> None:
    me = await bot.get_me()
    assert me.id == 123456789
    assert me.is_bot
    assert me.username == "talksbot_test_bot"
    assert me.first_name == "TalksBot Test"
    assert me.supports_inline_queries and me.can_join_groups
    assert bot.bot.username == "talksbot_test_bot"  # cached by initialize()
    assert len(standin.calls_to("getMe")) == 2  # initialize() + explicit call


@pytest.mark.asyncio
async def test_custom_token_and_username() -> None:
    with BotAPIStandIn("987:ABC-custom", bot_username="other_bot") as api:
        async with Bot(api.token, base_url=api.base_url) as b:
            assert (b.bot.id, b.bot.username) == (987, "other_bot")


@pytest.mark.asyncio
async def test_send_message_returns_message_and_records_decoded_params(standin: BotAPIStandIn, bot: Bot) -> None:
    first = await bot.send_message(42, "hello", reply_markup=_keyboard(), disable_notification=True)
    second = await bot.send_message(42, "[1, 2]")
    assert first.text == "hello"
    assert first.chat.id == 42
    assert first.chat.type == "private"
    assert first.from_user is not None and first.from_user.id == bot.id
    assert first.reply_markup == _keyboard()
    assert second.message_id == first.message_id + 1

    params = standin.sent_messages()
    assert params[0]["chat_id"] == 42
    assert params[0]["text"] == "hello"
    assert params[0]["disable_notification"] is True
    assert params[0]["reply_markup"] == {"inline_keyboard": [[{"text": "Yes", "callback_data": "vote:yes"}]]}
    assert params[1]["text"] == "[1, 2]"  # free text that looks like JSON stays a str
    assert standin.calls_to("sendMessage")[0].raw_params["chat_id"] == "42"


@pytest.mark.asyncio
async def test_chat_type_inferred_and_reply_keyboard_not_echoed(standin: BotAPIStandIn, bot: Bot) -> None:
    group = await bot.send_message(-4242, "g", reply_markup=ReplyKeyboardMarkup([["a"]]))
    supergroup = await bot.send_message(-1001234567890, "s")
    channel = await bot.send_message("@talks_channel", "c")
    assert group.chat.type == "group" and group.reply_markup is None
    assert supergroup.chat.type == "supergroup"
    assert channel.chat.type == "channel" and channel.chat.username == "talks_channel"
    assert standin.sent_messages()[0]["reply_markup"] == {"keyboard": [[{"text": "a"}]]}


@pytest.mark.asyncio
async def test_edit_message_text(standin: BotAPIStandIn, bot: Bot) -> None:
    sent = await bot.send_message(42, "before", reply_markup=_keyboard())
    edited = await bot.edit_message_text("after", chat_id=42, message_id=sent.message_id)
    assert not isinstance(edited, bool)
    assert edited.text == "after"
    assert edited.message_id == sent.message_id
    assert edited.edit_date is not None
    assert edited.reply_markup is None  # like Telegram: no reply_markup removes the keyboard
    assert await bot.edit_message_text("inline", inline_message_id="AAQ123") is True
    call = standin.calls_to("editMessageText")[0]
    assert call.params == {"chat_id": 42, "message_id": sent.message_id, "text": "after"}
    assert standin.calls_to("editMessageText")[1].params["inline_message_id"] == "AAQ123"


@pytest.mark.asyncio
async def test_commands_per_scope(standin: BotAPIStandIn, bot: Bot) -> None:
    scope = BotCommandScopeChat(chat_id=-1001234567890)
    commands = [BotCommand("start", "Start"), BotCommand("help", "Help")]
    assert await bot.set_my_commands(commands, scope=scope) is True
    assert await bot.get_my_commands(scope=scope) == tuple(commands)
    assert await bot.get_my_commands() == ()
    assert await bot.get_my_commands(scope=BotCommandScopeDefault()) == ()
    assert standin.calls_to("setMyCommands")[0].params["scope"] == {
        "type": "chat",
        "chat_id": -1001234567890,
    }
    assert await bot.delete_my_commands(scope=scope) is True
    assert await bot.get_my_commands(scope=scope) == ()


@pytest.mark.asyncio
async def test_wrong_token_is_unauthorized(standin: BotAPIStandIn) -> None:
    wrong = Bot("999:WRONG-token", base_url=standin.base_url)
    with pytest.raises(InvalidToken):
        async with wrong:  # __aenter__ shuts the bot down again when initialize() fails
            pass
    assert standin.calls_to("getMe")[0].failed_with == 401


@pytest.mark.asyncio
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_429_raises_retry_after_then_succeeds(standin: BotAPIStandIn, bot: Bot) -> None:
    standin.fail_next("sendMessage", status=429, retry_after=1)
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(42, "flood")
    # int or timedelta depending on PTB_TIMEDELTA (the int form warns, hence the filter)
    assert info.value.retry_after in (1, dtm.timedelta(seconds=1))
    msg = await bot.send_message(42, "flood")
    assert msg.text == "flood"
    assert [c.failed_with for c in standin.calls_to("sendMessage")] == [429, None]
    assert len(standin.sent_messages()) == 1


@pytest.mark.asyncio
async def test_other_faults_map_to_ptb_errors(standin: BotAPIStandIn, bot: Bot) -> None:
    standin.fail_next("sendMessage", status=502)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(42, "x")
    standin.fail_next("sendMessage", status=403)
    with pytest.raises(Forbidden, match="bot was kicked"):
        await bot.send_message(-5, "x")
    standin.fail_next("sendMessage", status=400, parameters={"migrate_to_chat_id": -1009})
    with pytest.raises(ChatMigrated) as migrated:
        await bot.send_message(-5, "x")
    assert migrated.value.new_chat_id == -1009
    standin.fail_next("getChat", status=500, times=2)
    for _ in range(2):
        with pytest.raises(NetworkError):
            await bot.get_chat(42)
    assert (await bot.get_chat(42)).id == 42
    assert [c.failed_with for c in standin.calls_to("sendMessage")] == [502, 403, 400]


@pytest.mark.asyncio
async def test_a_fault_window_fails_every_call_until_it_passes(standin: BotAPIStandIn, bot: Bot) -> None:
    standin.fail_during("sendMessage", 0.3, status=502)
    started = time.monotonic()
    failures = 0
    while True:  # tried again until the window passes (within the deadline of any wait)
        try:
            assert (await bot.send_message(42, "x")).text == "x"
            break
        except NetworkError:
            failures += 1
            assert time.monotonic() - started < 30
    assert time.monotonic() - started >= 0.3 and failures >= 2
    assert {c.failed_with for c in standin.calls_to("sendMessage")} == {502, None}


@pytest.mark.asyncio
async def test_a_dropped_connection_gets_no_answer_and_carries_nothing_out(standin: BotAPIStandIn, bot: Bot) -> None:
    standin.drop_next("sendMessage")
    with pytest.raises(NetworkError):
        await bot.send_message(42, "lost")
    assert (await bot.send_message(42, "x")).text == "x"
    assert [c.params["text"] for c in standin.calls_to("sendMessage")] == ["x"]


@pytest.mark.asyncio
async def test_chat_member_statuses(standin: BotAPIStandIn, bot: Bot) -> None:
    chat = -1001234567890
    expected: dict[str, type] = {
        "creator": ChatMemberOwner,
        "administrator": ChatMemberAdministrator,
        "member": ChatMemberMember,
        "restricted": ChatMemberRestricted,
        "left": ChatMemberLeft,
        "kicked": ChatMemberBanned,
    }
    assert isinstance(await bot.get_chat_member(chat, 1), ChatMemberMember)  # default
    for user_id, (status, cls) in enumerate(expected.items(), start=10):
        standin.set_chat_member_status(chat, user_id, status)
        member = await bot.get_chat_member(chat, user_id)
        assert isinstance(member, cls), status
        assert member.user.id == user_id
    standin.set_chat_member_status(chat, bot.id, "administrator", can_restrict_members=False)
    me = await bot.get_chat_member(chat, bot.id)
    assert isinstance(me, ChatMemberAdministrator) and not me.can_restrict_members
    assert me.user.username == "talksbot_test_bot"
    admins = await bot.get_chat_administrators(chat)
    assert {a.user.id for a in admins} == {10, 11, bot.id}
    full = await bot.get_chat(chat)
    assert (full.id, full.type) == (chat, "supergroup")


@pytest.mark.asyncio
async def test_send_photo_multipart_upload(standin: BotAPIStandIn, bot: Bot) -> None:
    payload = b"\x00\x89PNG\r\n--not-a-boundary\r\n\xff"
    msg = await bot.send_photo(42, payload, caption="pic")
    assert msg.photo and msg.caption == "pic"
    call = standin.calls_to("sendPhoto")[0]
    assert call.params["chat_id"] == 42
    assert isinstance(call.params["photo"], UploadedFile)
    assert call.files["photo"].data == payload


@pytest.mark.asyncio
async def test_get_updates_offset_limit_and_long_poll() -> None:
    with BotAPIStandIn(long_poll_cap=0.5) as api:
        async with Bot(api.token, base_url=api.base_url) as b:
            for i in range(3):
                api.push_message(f"m{i}")
            first = await b.get_updates(limit=2)
            assert [u.message.text for u in first if u.message] == ["m0", "m1"]
            rest = await b.get_updates(offset=first[-1].update_id + 1)
            assert [u.message.text for u in rest if u.message] == ["m2"]
            assert len(api.pending_updates()) == 1  # confirmed ones were dropped

            start = time.monotonic()
            assert await b.get_updates(offset=rest[-1].update_id + 1, timeout=30) == ()
            assert 0.4 < time.monotonic() - start < 1.5  # capped long-poll

            threading.Timer(0.2, api.push_message, args=("late",)).start()
            start = time.monotonic()
            late = await b.get_updates(offset=rest[-1].update_id + 1, timeout=30)
            assert time.monotonic() - start < 0.45  # returned early
            assert late[0].message is not None and late[0].message.text == "late"


def test_blocking_wait_for_with_json_and_get_requests(standin: BotAPIStandIn) -> None:
    """Raw clients (JSON body, GET query) work too, and wait_for blocks until the call."""

    def post_json() -> None:
        req = urllib.request.Request(
            f"{standin.base_url}{standin.token}/sendMessage",
            data=json.dumps({"chat_id": 7, "text": "via json"}).encode(),
            headers={"Content-Type": "application/json"},
        )
        urllib.request.urlopen(req, timeout=5).read()

    threading.Timer(0.1, post_json).start()
    call = standin.wait_for("sendMessage", lambda c: c.params["text"] == "via json", timeout=30)
    assert call.params == {"chat_id": 7, "text": "via json"}

    url = f"{standin.base_url}{standin.token}/getChat?chat_id=-77"
    body = json.loads(urllib.request.urlopen(url, timeout=5).read())
    assert body["ok"] and body["result"]["type"] == "group"

    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(f"{standin.base_url}bad:token/getMe", timeout=5)
    assert err.value.code == 401
    assert json.loads(err.value.read()) == {
        "ok": False,
        "error_code": 401,
        "description": "Unauthorized",
    }


@pytest.mark.asyncio
async def test_wait_for_async_timeout_lists_recent_calls(standin: BotAPIStandIn, bot: Bot) -> None:
    await bot.send_message(42, "something else")
    expected = r"(?s)no matching answerCallbackQuery.*something else"
    with pytest.raises(AssertionError, match=expected):
        await standin.wait_for_async("answerCallbackQuery", timeout=0.2)
    with pytest.raises(RuntimeError, match="wait_for_async"):
        standin.wait_for("sendMessage", timeout=0.1)  # would block the running loop
    standin.clear_calls()
    assert standin.calls == []


# ------------------------------------------------------------------ full Application


async def _run_app(standin: BotAPIStandIn, app: Application) -> None:
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1)


async def _stop_app(app: Application) -> float:
    start = time.monotonic()
    assert app.updater is not None
    await app.updater.stop()
    await app.stop()
    await app.shutdown()
    return time.monotonic() - start


@pytest.mark.asyncio
async def test_application_echo_round_trip(standin: BotAPIStandIn) -> None:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(update.effective_message.text or "", do_quote=True)

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, f"started {context.args}")

    app = Application.builder().token(standin.token).base_url(standin.base_url).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    await _run_app(standin, app)
    try:
        pushed = standin.push_message("hello bot", chat_id=555, user_id=555)
        call = await standin.wait_for_async("sendMessage", timeout=30)
        reply = standin.bot_messages(555)[0]
        assert reply["reply_to_message"] == pushed["message"]
        assert call.params["chat_id"] == 555
        assert call.params["text"] == "hello bot"
        assert call.params["reply_parameters"]["message_id"] == pushed["message"]["message_id"]

        standin.push_message("/start now", chat_id=-1001234567890)
        call = await standin.wait_for_async("sendMessage", lambda c: c.params["text"].startswith("started"), timeout=30)
        assert call.params == {"chat_id": -1001234567890, "text": "started ['now']"}
    finally:
        elapsed = await _stop_app(app)
    assert elapsed < 3
    assert standin.calls_to("deleteWebhook")  # bootstrap of start_polling
    assert standin.pending_updates() == []  # final getUpdates confirmed the offset


@pytest.mark.asyncio
async def test_application_receives_every_builder_update(standin: BotAPIStandIn) -> None:
    seen: list[str] = []

    async def record(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.callback_query:
            seen.append(f"callback:{update.callback_query.data}")
            await update.callback_query.answer("ok")
            await update.callback_query.edit_message_text("voted")
        elif update.inline_query:
            seen.append(f"inline:{update.inline_query.query}")
            await update.inline_query.answer([InlineQueryResultArticle("1", "Talk", InputTextMessageContent("talk"))])
        elif update.edited_message:
            seen.append(f"edited:{update.edited_message.text}")
        elif update.message and update.message.sticker:
            seen.append(f"sticker:{update.message.sticker.emoji}")
        elif update.message and update.message.photo:
            seen.append(f"photo:{update.message.caption}")
        elif update.message and update.message.migrate_to_chat_id:
            seen.append(f"migrate:{update.message.migrate_to_chat_id}")

    app = Application.builder().token(standin.token).base_url(standin.base_url).build()
    app.add_handler(CallbackQueryHandler(record))
    app.add_handler(InlineQueryHandler(record))
    app.add_handler(MessageHandler(filters.ALL, record))
    await _run_app(standin, app)
    try:
        await app.bot.send_message(42, "vote?", reply_markup=_keyboard())
        standin.push_callback_query("vote:yes", user_id=42)
        standin.push_inline_query("talks")
        msg = standin.push_message("typo", chat_id=42)
        standin.push_edited_message("fixed", chat_id=42, message_id=msg["message"]["message_id"])
        standin.push_sticker(chat_id=42)
        standin.push_photo(caption="look", chat_id=-4001)
        standin.push_raw(
            {
                "message": {
                    "message_id": 9,
                    "date": int(time.time()),
                    "chat": {"id": -4001, "type": "group", "title": "Old"},
                    "from": {"id": 1, "is_bot": False, "first_name": "A"},
                    "migrate_to_chat_id": -1009,
                }
            }
        )
        await standin.wait_for_async("answerInlineQuery", timeout=30)
        edit = await standin.wait_for_async("editMessageText", timeout=30)
        deadline = time.monotonic() + 30  # generous: it only matters when something is broken
        while len(seen) < 6 and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
    finally:
        await _stop_app(app)

    assert seen == [
        "callback:vote:yes",
        "inline:talks",
        "edited:fixed",
        "sticker:👍",
        "photo:look",
        "migrate:-1009",
    ]  # Application handles updates sequentially, in update_id order
    answer = standin.calls_to("answerCallbackQuery")[0]
    assert answer.params["text"] == "ok"
    assert answer.params["callback_query_id"].startswith("cbq-")
    results: list[dict[str, Any]] = standin.calls_to("answerInlineQuery")[0].params["results"]
    assert results[0]["input_message_content"] == {"message_text": "talk"}
    assert edit.params["text"] == "voted" and edit.params["chat_id"] == 42
    assert isinstance(standin.calls[0], Call)
