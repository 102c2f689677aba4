"""Outgoing traffic through the real rate limiter and HTTP stack against the Bot API stand-in."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from telegram.error import BadRequest
from telegram.ext import ExtBot

from bot.delivery import ReliableRateLimiter
from tests.support.botapi import BotAPIStandIn


@pytest.fixture
async def api() -> AsyncIterator[BotAPIStandIn]:
    with BotAPIStandIn() as running:
        yield running


async def test_group_messages_are_spread_to_the_per_group_limit(api: BotAPIStandIn) -> None:
    limiter = ReliableRateLimiter(group_rate=(3, 1))  # 3 a second per group (Telegram: 20 a minute), to keep it short
    async with ExtBot(api.token, base_url=api.base_url, rate_limiter=limiter) as bot:
        started = time.monotonic()
        await asyncio.gather(*(bot.send_message(-100123, f"m{i}") for i in range(7)))
        elapsed = time.monotonic() - started
    assert len(api.sent_messages()) == 7
    assert elapsed >= 1.0  # a burst of 3, then the rest at 3 a second: not all 7 at once


async def test_transient_502s_are_retried_but_a_bad_request_is_not(api: BotAPIStandIn) -> None:
    async with ExtBot(api.token, base_url=api.base_url, rate_limiter=ReliableRateLimiter(backoff=0.05)) as bot:
        api.fail_next("sendMessage", status=502, times=2)
        await bot.send_message(5, "after two 502s")
        api.fail_next("sendMessage", status=400, description="Bad Request: chat not found")
        with pytest.raises(BadRequest, match="(?i)chat not found"):
            await bot.send_message(5, "never")
    assert [c.failed_with for c in api.calls_to("sendMessage")] == [502, 502, None, 400]


async def test_a_429_is_waited_out_then_sent(api: BotAPIStandIn) -> None:
    async with ExtBot(api.token, base_url=api.base_url, rate_limiter=ReliableRateLimiter()) as bot:
        api.fail_next("sendMessage", status=429, retry_after=1)
        started = time.monotonic()
        await bot.send_message(6, "after a 429")
        assert time.monotonic() - started >= 1.0
    assert [c.failed_with for c in api.calls_to("sendMessage")] == [429, None]
