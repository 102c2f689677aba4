"""Logging set-up that never lets the bot token out, at any level, tracebacks included."""

from __future__ import annotations

import logging
import sys

REDACTED = "[redacted]"


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then removes every secret from the finished line (message, args, traceback)."""

    def __init__(self, secrets: list[str], fmt: str) -> None:
        super().__init__(fmt)
        self.secrets = [s for s in secrets if s]

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text


def configure_logging(level: str, secrets: list[str], stream: object = None) -> logging.Handler:
    """Install one redacting handler on the root logger; httpx request lines (with the token URL) are muted."""
    handler = logging.StreamHandler(stream or sys.stderr)  # type: ignore[arg-type]
    handler.setFormatter(RedactingFormatter(secrets, "%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        if isinstance(old.formatter, RedactingFormatter):
            root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return handler
