"""Logging set-up that never lets the bot token out, at any level, tracebacks included.

Routine chatter (the job scheduler's every run, Alembic's every start) is demoted to DEBUG, so INFO
holds one line per update and what an operator acts on. LOG_FORMAT=json writes one JSON object a line.
"""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

REDACTED = "[redacted]"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
CHATTY_LOGGERS = ("apscheduler", "alembic")
"""Their INFO lines are routine: APScheduler logs every job run, Alembic every start."""


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then removes every secret from the finished line (message, args, traceback)."""

    def __init__(self, secrets: list[str], fmt: str = TEXT_FORMAT) -> None:
        super().__init__(fmt)
        self.secrets = [s for s in secrets if s]

    def format(self, record: logging.LogRecord) -> str:
        text = self.render(record)
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def render(self, record: logging.LogRecord) -> str:
        return super().format(record)


class JsonFormatter(RedactingFormatter):
    """One JSON object per line: time, level, logger, message and, when there is one, the traceback."""

    def render(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class DemoteChatter(logging.Filter):
    """Turns the chatty loggers' INFO into DEBUG, then applies the configured level to everything."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.INFO and record.name.startswith(CHATTY_LOGGERS):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return record.levelno >= self.level


def configure_logging(
    level: str, secrets: list[str], stream: object = None, log_format: str = "text"
) -> logging.Handler:
    """Install one redacting handler on the root logger; httpx request lines (with the token URL) are muted."""
    handler = logging.StreamHandler(stream or sys.stderr)  # type: ignore[arg-type]
    formatter = JsonFormatter(secrets) if log_format == "json" else RedactingFormatter(secrets)
    handler.setFormatter(formatter)
    handler.addFilter(DemoteChatter(logging.getLevelName(level)))
    root = logging.getLogger()
    for old in list(root.handlers):
        if isinstance(old.formatter, RedactingFormatter):
            root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return handler
