"""Settings names (a contract) and log redaction of secrets."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest

from bot.logs import configure_logging
from bot.settings import Settings


def test_redaction_covers_messages_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = configure_logging("DEBUG", ["SECRET:TOKEN", "TOKEN"], stream=stream)
    try:
        logging.getLogger("x").debug("calling https://api/botSECRET:TOKEN/getMe")
        try:
            raise RuntimeError("url https://api/botSECRET:TOKEN/sendMessage")
        except RuntimeError:
            logging.getLogger("x").exception("failed")
    finally:
        logging.getLogger().removeHandler(handler)
    assert "TOKEN" not in stream.getvalue() and stream.getvalue().count("[redacted]") >= 2


def test_settings_names_are_the_contract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"TELEGRAM_BOT_TOKEN": "1:x", "TELEGRAM_BASE_URL": "http://h/bot", "DATABASE_URL": "sqlite+aiosqlite:///x",
                        "ADMIN_USER_IDS": "1, 2,3", "LOG_LEVEL": "debug", "WEBHOOK_URL": "https://w",
                        "WEBHOOK_SECRET": "s", "WEBHOOK_LISTEN": "0.0.0.0", "WEBHOOK_PORT": "9000"}.items():
        monkeypatch.setenv(name, value)
    settings = Settings(_env_file=None)
    assert settings.admin_user_ids == (1, 2, 3) and settings.log_level == "DEBUG" and settings.webhook_port == 9000
    example = (Path(__file__).parents[1] / ".env.example").read_text()
    for name in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_BASE_URL", "DATABASE_URL", "ADMIN_USER_IDS", "LOG_LEVEL",
                 "WEBHOOK_URL", "WEBHOOK_SECRET", "WEBHOOK_LISTEN", "WEBHOOK_PORT"):
        assert name in example
