"""Watching the bot at work: per-update counts and one INFO line, answer outcomes, Bot API requests.

Two handler groups bracket every update (PTB runs an update's groups in order and carries on after a
failing handler), so the log line and counters need nothing from the handlers but `note_answer`
(`handlers.metrics`); handlers that stop an update early call the `log_update` registered here.
The line never holds message text: chat type, update type, outcome and latency only.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.error import BadRequest, ChatMigrated, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.error import TimedOut
from telegram.ext import Application, ContextTypes, TypeHandler

from bot.delivery import ReliableRateLimiter
from handlers.context import LOG_UPDATE
from handlers.metrics import Metrics, metrics_of

log = logging.getLogger(__name__)
FIRST_GROUP, LAST_GROUP = -100, 100
UNMEASURED_METHODS = frozenset({"getUpdates"})
"""Long polls wait on purpose; their latency says nothing about Telegram's health."""


def update_type(update: Update) -> str:
    return next((kind for kind in Update.ALL_TYPES if getattr(update, kind, None) is not None), "other")


async def _begin(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    if isinstance(update, Update):
        metrics_of(context).updates.labels(update_type(update)).inc()
    context.started = time.perf_counter()  # type: ignore[attr-defined]


async def _finish(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    log_update(update, context)


def log_update(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The one INFO line per update: its type, the chat type, the outcome and the latency, never the text.
    Handlers that stop an update early (flood control) call it themselves."""
    started = getattr(context, "started", None)
    latency_ms = (time.perf_counter() - started) * 1000 if started is not None else 0.0
    kind = update_type(update) if isinstance(update, Update) else "other"
    chat = update.effective_chat if isinstance(update, Update) else None
    log.info(
        "update %s chat=%s outcome=%s latency=%.0fms",
        kind,
        chat.type if chat else "none",
        getattr(context, "outcome", "handled"),
        latency_ms,
    )


def add_tracking(application: Application) -> None:  # type: ignore[type-arg]
    application.bot_data[LOG_UPDATE] = log_update  # for handlers that stop an update early
    application.add_handler(TypeHandler(Update, _begin), group=FIRST_GROUP)
    application.add_handler(TypeHandler(Update, _finish), group=LAST_GROUP)


def error_code(exc: TelegramError) -> str:
    """Bot API errors by the HTTP code Telegram answers with (network trouble has none)."""
    for kind, code in (
        (RetryAfter, "429"),
        (ChatMigrated, "400"),
        (BadRequest, "400"),
        (Forbidden, "403"),
        (InvalidToken, "401"),
        (TimedOut, "timeout"),
        (NetworkError, "network"),
    ):
        if isinstance(exc, kind):
            return code
    return "other"


class MeasuredRateLimiter(ReliableRateLimiter):
    """The reliable rate limiter, with every attempt timed and every retry and error counted."""

    def __init__(self, metrics: Metrics, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.metrics = metrics

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        attempts = 0
        metrics = self.metrics

        async def attempt(*a: Any, **kw: Any) -> bool | dict[str, Any] | list[dict[str, Any]]:
            nonlocal attempts
            attempts += 1
            if attempts > 1:
                metrics.retries.labels(endpoint).inc()
            started = time.perf_counter()
            try:
                return await callback(*a, **kw)
            except TelegramError as exc:
                if endpoint not in UNMEASURED_METHODS or not isinstance(exc, TimedOut):
                    metrics.telegram_errors.labels(error_code(exc)).inc()
                raise
            finally:
                if endpoint not in UNMEASURED_METHODS:
                    metrics.send_seconds.labels(endpoint).observe(time.perf_counter() - started)

        return await super().process_request(attempt, args, kwargs, endpoint, data, rate_limit_args)
