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
    for name, value in {
        "TELEGRAM_BOT_TOKEN": "1:x",
        "TELEGRAM_BASE_URL": "http://h/bot",
        "DATABASE_URL": "sqlite+aiosqlite:///x",
        "ADMIN_USER_IDS": "1, 2,3",
        "LOG_LEVEL": "debug",
        "WEBHOOK_URL": "https://w",
        "WEBHOOK_SECRET": "s",
        "WEBHOOK_LISTEN": "0.0.0.0",
        "WEBHOOK_PORT": "9000",
    }.items():
        monkeypatch.setenv(name, value)
    settings = Settings(_env_file=None)
    assert settings.admin_user_ids == (1, 2, 3) and settings.log_level == "DEBUG" and settings.webhook_port == 9000
    example = (Path(__file__).parents[1] / ".env.example").read_text()
    for name in (
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_BASE_URL",
        "DATABASE_URL",
        "ADMIN_USER_IDS",
        "LOG_LEVEL",
        "WEBHOOK_URL",
        "WEBHOOK_SECRET",
        "WEBHOOK_LISTEN",
        "WEBHOOK_PORT",
        "WEBHOOK_PATH",
        "METRICS_PORT",
        "LOG_FORMAT",
    ):
        assert name in example


@pytest.mark.parametrize(
    "given, used",
    [
        ("postgres://u:p@db.example:5432/talks", "postgresql+asyncpg://u:p@db.example:5432/talks"),
        (
            "postgresql://u:p@db.example/talks?sslmode=require",
            "postgresql+asyncpg://u:p@db.example/talks?sslmode=require",
        ),
        ("postgresql+asyncpg://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("sqlite:////var/lib/talksbot/t.db", "sqlite+aiosqlite:////var/lib/talksbot/t.db"),
        ("sqlite+aiosqlite:///t.db", "sqlite+aiosqlite:///t.db"),
    ],
)
def test_hosting_platform_database_urls_are_mapped_to_async_drivers(given: str, used: str) -> None:
    assert Settings(_env_file=None, database_url=given).effective_database_url == used


@pytest.mark.parametrize(
    "url, path, listened",
    [
        ("https://bot.example.org/hook", None, "/hook"),
        ("https://bot.example.org/a/b/", None, "/a/b"),
        ("https://bot.example.org", None, "/"),
        ("https://bot.example.org/public", "internal/", "/internal"),
    ],
)
def test_webhook_path_comes_from_webhook_url_unless_webhook_path_is_set(
    url: str, path: str | None, listened: str
) -> None:
    assert Settings(_env_file=None, webhook_url=url, webhook_path=path).effective_webhook_path == listened


def _logged(level: str, log_format: str = "text") -> str:
    stream = io.StringIO()
    handler = configure_logging(level, ["SECRET:TOKEN"], stream=stream, log_format=log_format)
    try:
        logging.getLogger("apscheduler.executors.default").info("Running job briefing-sweep")
        logging.getLogger("alembic.runtime.migration").info("Context impl SQLiteImpl.")
        logging.getLogger("bot.tracking").info("update message chat=private outcome=answered latency=3ms")
        logging.getLogger("x").warning("token SECRET:TOKEN leaked?")
    finally:
        logging.getLogger().removeHandler(handler)
    return stream.getvalue()


def test_scheduler_and_migration_chatter_is_debug_only() -> None:
    at_info, at_debug = _logged("INFO"), _logged("DEBUG")
    assert "Running job" not in at_info and "Context impl" not in at_info
    assert "outcome=answered" in at_info
    assert "DEBUG apscheduler.executors.default: Running job" in at_debug and "Context impl" in at_debug


def test_json_log_format_writes_one_redacted_object_per_line() -> None:
    import json

    lines = [json.loads(line) for line in _logged("INFO", "json").splitlines()]
    assert [entry["level"] for entry in lines] == ["INFO", "WARNING"]
    assert lines[0]["logger"] == "bot.tracking" and "time" in lines[0]
    assert lines[1]["message"] == "token [redacted] leaked?"


def test_log_format_setting_accepts_text_and_json_only() -> None:
    assert Settings(_env_file=None, log_format="JSON").log_format == "json"
    with pytest.raises(ValueError):
        Settings(_env_file=None, log_format="xml")
