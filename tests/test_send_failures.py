"""Sends that fail: retried through 5xx answers and 429s until a per-message deadline, never
repeated when the answer was lost (the message may have arrived), and never too long to send.

Real HTTP against the Bot API stand-in; only the deadline test swaps in a clock and a sleep."""

from __future__ import annotations

import asyncio
import html.parser
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import InputFile
from telegram.error import NetworkError, TimedOut

from bot.delivery import ReliableRateLimiter
from bot.extbot import TalksBot
from bot.request import AiohttpRequest
from bot.splitting import MAX_CHARS, split_html, telegram_length
from tests.support.botapi import BotAPIStandIn
from tests.support.running import running_bot


@pytest.fixture
async def api() -> AsyncIterator[BotAPIStandIn]:
    with BotAPIStandIn() as running:
        yield running


def _bot(api: BotAPIStandIn, limiter: ReliableRateLimiter, read_timeout: float = 5.0) -> TalksBot:
    """The bot's own request setup (tracked writes), as `talksbot run` builds it."""
    return TalksBot(
        api.token, base_url=api.base_url, rate_limiter=limiter, request=AiohttpRequest(read_timeout=read_timeout)
    )


async def test_502s_and_429s_beyond_a_few_retries_are_retried_until_sent(api: BotAPIStandIn) -> None:
    async with _bot(api, ReliableRateLimiter(backoff=0.01)) as bot:
        api.fail_next("sendMessage", status=502, times=6)
        await bot.send_message(5, "after six 502s")
        api.fail_next("sendMessage", status=429, retry_after=0, times=5)
        await bot.send_message(5, "after five 429s")
    outcomes = [c.failed_with for c in api.calls_to("sendMessage", include_failed=True)]
    assert outcomes == [502] * 6 + [None] + [429] * 5 + [None]


async def test_a_send_that_keeps_failing_is_given_up_at_its_deadline(api: BotAPIStandIn) -> None:
    now = [0.0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds

    limiter = ReliableRateLimiter(deadline=60, backoff=0.5, clock=lambda: now[0], sleep=sleep)
    async with _bot(api, limiter) as bot:
        api.fail_next("sendMessage", status=502, times=1000)
        with pytest.raises(NetworkError):
            await bot.send_message(5, "never")
    attempts = len(api.calls_to("sendMessage", include_failed=True))
    assert 50 <= now[0] <= 60 and 5 <= attempts <= 15


async def test_a_send_whose_answer_never_came_is_not_sent_again(api: BotAPIStandIn) -> None:
    async with _bot(api, ReliableRateLimiter(backoff=0.01), read_timeout=0.3) as bot:
        api.stall_next("sendMessage", 1.0)
        with pytest.raises(TimedOut):
            await bot.send_message(5, "once only")
        api.stall_next("getChat", 1.0)
        chat = await bot.get_chat(5)  # changes nothing: asked again
    assert len(api.calls_to("sendMessage", include_failed=True)) == 1
    assert chat.id == 5 and len(api.calls_to("getChat", include_failed=True)) == 2


async def test_a_send_cut_off_before_its_request_was_written_is_sent_again_and_arrives_once(
    api: BotAPIStandIn,
) -> None:
    """Reset after the headers: a large upload still being written fails to write, so Telegram cannot
    have it and it is sent again; a small message was already written out whole, so the bot cannot
    tell it from a lost answer and does not resend it."""
    async with _bot(api, ReliableRateLimiter(backoff=0.01)) as bot:
        api.reset_next("sendDocument")
        await bot.send_document(5, InputFile(b"%PDF" + b"\0" * (16 << 20), filename="programme.pdf"))
        api.reset_next("sendMessage")
        with pytest.raises(NetworkError):
            await bot.send_message(5, "once at most")
    assert len(api.calls_to("sendDocument", include_failed=True)) == 1  # carried out once, the resend
    assert api.calls_to("sendMessage", include_failed=True) == []


async def test_sends_while_telegram_refuses_connections_are_sent_again_none_lost_none_twice(
    api: BotAPIStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    """Telegram's front end restarting: open connections closed, new ones refused for a second.
    Every send meanwhile fails before it is written, so each is retried until it arrives, once."""
    caplog.set_level(logging.WARNING)
    async with _bot(api, ReliableRateLimiter(backoff=0.05)) as bot:
        await bot.send_message(5, "before")  # a pooled keep-alive connection
        api.refuse_connections(1.0)
        await asyncio.gather(*(bot.send_message(chat, f"during {chat}") for chat in range(100, 120)))
    texts = [c.params["text"] for c in api.calls_to("sendMessage", include_failed=True)]
    assert sorted(texts) == sorted(["before"] + [f"during {chat}" for chat in range(100, 120)])
    assert len([r for r in caplog.records if "not sent" in r.getMessage() and "retry" in r.getMessage()]) >= 20


async def test_a_message_too_long_for_telegram_is_sent_in_parts_that_each_parse(api: BotAPIStandIn) -> None:
    paragraph = "<b>Rustem Umerov</b> leads <i>Ukraine's &amp; its</i> team. " * 40
    text = "\n\n".join([paragraph] * 4) + "<b>" + "x" * 5000 + "</b>"
    async with _bot(api, ReliableRateLimiter()) as bot:
        await bot.send_message(5, text, parse_mode="HTML")
    parts = [c.params["text"] for c in api.calls_to("sendMessage")]
    assert len(parts) >= 3
    for part in parts:
        assert telegram_length(part) <= MAX_CHARS
        _assert_balanced(part)
    assert _visible("".join(parts)) == _visible(text)


def test_split_html_leaves_short_text_alone_and_never_cuts_an_entity() -> None:
    assert split_html("<b>short</b>") == ["<b>short</b>"]
    parts = split_html("&amp;" * 2000, limit=1000)
    assert all(part.count("&") == part.count(";") for part in parts)


async def test_a_very_long_argument_is_cut_in_the_reply_that_echoes_it(tmp_path: Path) -> None:
    with BotAPIStandIn(long_poll_cap=0.5) as api:
        async with running_bot(api, tmp_path / "bot.db"):
            api.push_message("/subscribe " + "9" * 4000, chat_id=811)
            reply = await api.wait_for_async("sendMessage", lambda c: c.params.get("chat_id") == 811)
            api.push_message("/subscribe 08:30 " + "Europe/" * 600, chat_id=812)
            zone_reply = await api.wait_for_async("sendMessage", lambda c: c.params.get("chat_id") == 812)
    assert "is not a time" in reply.params["text"] and len(reply.params["text"]) < 400
    assert "time zone" in zone_reply.params["text"] and len(zone_reply.params["text"]) < 400


class _Balance(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open.pop() == tag, f"</{tag}> closes nothing"

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _assert_balanced(part: str) -> None:
    checker = _Balance()
    checker.feed(part)
    checker.close()
    assert checker.open == [], f"left open: {checker.open}"


def _visible(markup: str) -> str:
    checker = _Balance()
    checker.feed(markup)
    return "".join(checker.text).replace(" ", "").replace("\n", "")


async def test_retries_end_at_once_when_the_bot_stops(api: BotAPIStandIn) -> None:
    limiter = ReliableRateLimiter(backoff=5)  # a long pause after the first 502
    async with _bot(api, limiter) as bot:
        api.fail_next("sendMessage", status=502, times=1000)
        sending = asyncio.create_task(bot.send_message(5, "never"))
        await api.wait_for_async("sendMessage", include_failed=True)
        started = time.monotonic()
        limiter.stop_retrying()
        with pytest.raises(NetworkError):
            await sending
    assert time.monotonic() - started < 1 and len(api.calls_to("sendMessage", include_failed=True)) == 1


async def test_a_send_rate_limit_of_zero_turns_the_group_limit_off_too(api: BotAPIStandIn) -> None:
    """With the limiter on, the 21st message in a group would wait most of a minute: the deadline
    below is shorter, so only an unlimited bot passes. Retries still apply."""
    async with _bot(api, ReliableRateLimiter(overall_rate=0, backoff=0.01)) as bot:
        api.fail_next("sendMessage", status=502, times=1)
        await asyncio.wait_for(asyncio.gather(*(bot.send_message(-100, f"part {n}") for n in range(25))), 30)
    assert len(api.calls_to("sendMessage", include_failed=False)) == 25


async def test_a_send_waiting_for_a_free_connection_is_sent_not_lost(api: BotAPIStandIn) -> None:
    # One connection (SEND_CONNECTIONS=1), held by a slow send for longer than the pool waits: the
    # send queued behind it times out on the pool before anything is written, so it is retried.
    request = AiohttpRequest(connection_pool_size=1, pool_timeout=0.2)
    async with TalksBot(
        api.token, base_url=api.base_url, rate_limiter=ReliableRateLimiter(backoff=0.05), request=request
    ) as bot:
        api.stall_next("sendMessage", seconds=1.0)
        await asyncio.gather(bot.send_message(5, "slow"), bot.send_message(6, "queued"))
    assert sorted(m["text"] for m in api.sent_messages()) == ["queued", "slow"]
