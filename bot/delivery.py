"""Outgoing traffic that loses nothing and doubles nothing: Telegram's rate limits, then retries
of 5xx answers, 429s and failed connections until a per-message deadline.

A request that was not completely written (no connection, no free connection in time, a write
that failed) cannot have been carried out, and
is sent again: `bot.request.AiohttpRequest` raises `Unsent` for it. One that was written but whose
answer never came (read timeout, connection dropped after the request went out) may have been: a
send is then not repeated, because a second copy of an answer is worse than a logged failure.
Requests that change nothing (getChat, editMessageText to the same text, ...) are retried like the
rest.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram.error import BadRequest, ChatMigrated, Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.ext import AIORateLimiter

from bot.request import Unsent

log = logging.getLogger(__name__)

DEADLINE_SECONDS = 60.0
BACKOFF_SECONDS = 0.5
MAX_BACKOFF_SECONDS = 8.0
_NOT_REPEATABLE = ("send", "forward", "copy")
"""Method prefixes whose repetition shows users a second message."""


class _Wait(Exception):
    """A 429, kept from AIORateLimiter (which gives up after a fixed number) so the deadline rules."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def surely_not_carried_out(exc: NetworkError) -> bool:
    """True when Telegram answered with an error (5xx) or the request was never completely written."""
    return exc.__cause__ is None or isinstance(exc, Unsent)


class ReliableRateLimiter(AIORateLimiter):
    """PTB's AIORateLimiter (30 msg/s overall, 20/min per group) plus retries until a deadline."""

    def __init__(
        self,
        deadline: float = DEADLINE_SECONDS,
        backoff: float = BACKOFF_SECONDS,
        overall_rate: float = 30,
        group_rate: tuple[float, float] = (20, 60),
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """`overall_rate`: messages a second, 0 for no limit at all (groups included); `group_rate`:
        (messages, seconds) per group, Telegram's limit being 20 a minute. Retries apply either way."""
        super().__init__(
            overall_max_rate=overall_rate,
            overall_time_period=1,
            group_max_rate=group_rate[0] if overall_rate else 0,
            group_time_period=group_rate[1],
            max_retries=0,
        )
        self.deadline = deadline
        self.backoff = backoff
        self.clock = clock
        self.sleep = sleep
        self._stopping = asyncio.Event()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        async def attempt(*call_args: Any, **call_kwargs: Any) -> bool | dict[str, Any] | list[dict[str, Any]]:
            try:
                return await callback(*call_args, **call_kwargs)
            except RetryAfter as exc:
                # the timedelta itself: the public attribute warns while PTB moves from int to timedelta
                raise _Wait(exc._retry_after.total_seconds()) from None

        give_up_at = self.clock() + self.deadline
        failures = 0
        while True:
            try:
                return await super().process_request(attempt, args, kwargs, endpoint, data, rate_limit_args)
            except _Wait as wait:
                if endpoint == "getUpdates":
                    raise RetryAfter(int(wait.seconds)) from None  # PTB's polling loop waits it out
                delay, last = wait.seconds + 0.1, RetryAfter(max(1, round(wait.seconds)))
            except (BadRequest, ChatMigrated, Conflict, Forbidden, InvalidToken):
                raise
            except NetworkError as exc:
                if endpoint == "getUpdates":
                    raise  # PTB's polling loop has its own back-off
                if not surely_not_carried_out(exc) and endpoint.lower().startswith(_NOT_REPEATABLE):
                    log.warning(
                        "%s to chat %s: no answer (%s); not sent again, it may have arrived",
                        endpoint,
                        data.get("chat_id"),
                        exc,
                    )
                    raise
                delay, last = min(MAX_BACKOFF_SECONDS, self.backoff * 2**failures), exc
            failures += 1
            if self.clock() + delay <= give_up_at and not self._stopping.is_set():
                log.warning("%s failed (%s); retry %d in %.1fs", endpoint, last, failures, delay)
                await self._pause(delay)
                if not self._stopping.is_set():
                    continue
            log.error("%s to chat %s: gave up after %d failures (%s)", endpoint, data.get("chat_id"), failures, last)
            raise last

    def stop_retrying(self) -> None:
        """On shutdown: retries end now (the inbox or the briefing ledger tries again after the restart)."""
        self._stopping.set()

    async def _pause(self, seconds: float) -> None:
        """`sleep(seconds)`, cut short by stop_retrying()."""
        nap = asyncio.ensure_future(self.sleep(seconds))
        stop = asyncio.ensure_future(self._stopping.wait())
        await asyncio.wait({nap, stop}, return_when=asyncio.FIRST_COMPLETED)
        nap.cancel()
        stop.cancel()
