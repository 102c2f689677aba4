"""The webhook server's limits: a request body over 1 MB is refused from its Content-Length,
before it is read (tornado's default is 100 MB, read into memory even with a wrong secret)."""

from __future__ import annotations

from tornado.httpserver import HTTPServer

MAX_BODY_BYTES = 1_048_576
"""Telegram's updates are far smaller; anything larger is not from Telegram."""


def limit_webhook_bodies(max_bytes: int = MAX_BODY_BYTES) -> None:
    """Configure tornado's HTTPServer, which PTB's webhook server is built on, for this process."""
    HTTPServer.configure(None, max_body_size=max_bytes)
