"""Outgoing traffic that loses nothing: Telegram's rate limits, 429 waits and bounded retries."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.ext import AIORateLimiter

log = logging.getLogger(__name__)

NETWORK_RETRIES = 3
BACKOFF_SECONDS = 0.5


class ReliableRateLimiter(AIORateLimiter):
    """PTB's AIORateLimiter (30 msg/s overall, 20/min per group, waits out 429s) plus bounded
    retries with backoff for transient 5xx and network errors, which it does not retry itself."""

    def __init__(self, network_retries: int = NETWORK_RETRIES, backoff: float = BACKOFF_SECONDS,
                 group_rate: tuple[float, float] = (20, 60)) -> None:
        """`group_rate`: (messages, seconds) per group; Telegram's limit is 20 a minute."""
        super().__init__(overall_max_rate=30, overall_time_period=1, group_max_rate=group_rate[0],
                         group_time_period=group_rate[1], max_retries=3)
        self.network_retries = network_retries
        self.backoff = backoff

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        attempt = 0
        while True:
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except (RetryAfter, BadRequest, Forbidden, InvalidToken):
                raise
            except NetworkError as exc:
                if endpoint == "getUpdates" or attempt >= self.network_retries:
                    raise
                attempt += 1
                delay = self.backoff * 2 ** (attempt - 1)
                log.warning("%s failed (%s); retry %d/%d in %.1fs", endpoint, exc, attempt, self.network_retries, delay)
                await asyncio.sleep(delay)
