"""The bot's HTTP server: Telegram's webhook (webhook mode), /healthz, /readyz and /metrics.

PTB's own webhook server serves one path and nothing else, so this one (on the tornado that PTB's
webhooks extra installs) takes its place, as PTB's custom-webhook examples do: updates go onto
`application.update_queue` exactly as PTB's would. Bodies over 1 MB are refused before they are read.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import tornado.web
from tornado.httpserver import HTTPServer
from telegram import Update
from telegram.ext import Application

from handlers.metrics import CONTENT_TYPE, Metrics
from bot.webhook import MAX_BODY_BYTES  # 1 MB: Telegram's updates are a few kB

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

Readiness = Callable[[], Awaitable[str | None]]
"""Returns None when ready, else the reason it is not."""


@dataclass(frozen=True)
class Webhook:
    path: str
    secret: str
    application: Application  # type: ignore[type-arg]


class ServeError(Exception):
    """The HTTP port cannot be opened; the message says which and why."""


class _Quiet(tornado.web.RequestHandler):
    def data_received(self, chunk: bytes) -> None:  # pragma: no cover - bodies are not streamed
        pass


class TelegramHook(_Quiet):
    """POSTs from Telegram: the secret token must match; the update goes onto PTB's update queue."""

    SUPPORTED_METHODS = ("POST",)  # type: ignore[assignment]

    def initialize(self, hook: Webhook) -> None:
        self.hook = hook

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.hook.secret.encode()):
            log.debug("webhook request without the right secret token from %s", self.request.remote_ip)
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        try:
            data: Any = json.loads(self.request.body)
            update = Update.de_json(data, self.hook.application.bot)
        except (ValueError, TypeError, KeyError) as exc:
            log.warning("webhook body is not an update: %s", type(exc).__name__)
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST) from None
        if update is not None:
            await self.hook.application.update_queue.put(update)
        self.set_status(HTTPStatus.OK)


class Health(_Quiet):
    """Liveness: the process answers HTTP."""

    def get(self) -> None:
        self.write("ok\n")


class Ready(_Quiet):
    """Readiness: the database answers and knowledge is loaded."""

    def initialize(self, readiness: Readiness) -> None:
        self.readiness = readiness

    async def get(self) -> None:
        problem = await self.readiness()
        if problem is not None:
            self.set_status(HTTPStatus.SERVICE_UNAVAILABLE)
            self.write(f"not ready: {problem}\n")
        else:
            self.write("ready\n")


class MetricsPage(_Quiet):
    def initialize(self, metrics: Metrics) -> None:
        self.metrics = metrics

    def get(self) -> None:
        self.set_header("Content-Type", CONTENT_TYPE)
        self.write(self.metrics.exposition())


class _App(tornado.web.Application):
    def log_request(self, handler: tornado.web.RequestHandler) -> None:
        """Per-request lines only at DEBUG; the bot logs one line per update itself."""
        log.debug("%s %s %s", handler.get_status(), handler.request.method, handler.request.path)


class WebServer:
    """One port: the webhook path (when given), /healthz, /readyz, /metrics."""

    def __init__(
        self, listen: str, port: int, metrics: Metrics, readiness: Readiness, webhook: Webhook | None = None
    ) -> None:
        routes: list[Any] = [
            (r"/healthz", Health),
            (r"/readyz", Ready, {"readiness": readiness}),
            (r"/metrics", MetricsPage, {"metrics": metrics}),
        ]
        if webhook is not None:
            routes.insert(0, (re.escape(webhook.path.rstrip("/")) + "/?", TelegramHook, {"hook": webhook}))
        self.listen, self.port = listen, port
        self._server = HTTPServer(_App(routes), max_body_size=MAX_BODY_BYTES, xheaders=True)

    async def start(self) -> None:
        try:
            self._server.listen(self.port, address=self.listen)
        except OSError as exc:
            raise ServeError(f"cannot listen on {self.listen}:{self.port}: {exc.strerror or exc}") from None
        log.info("HTTP server on %s:%s", self.listen, self.port)

    async def stop(self) -> None:
        self._server.stop()
        await asyncio.wait_for(self._server.close_all_connections(), 10)
