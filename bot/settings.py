"""Settings from the environment or a `.env` file (names are a contract; see .env.example)."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_BASE_URL = "https://api.telegram.org/bot"


def default_data_dir() -> Path:
    """Where the SQLite database lives unless DATABASE_URL says otherwise (XDG convention)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "talksbot"


ASYNC_SCHEMES = {"postgres": "postgresql+asyncpg", "postgresql": "postgresql+asyncpg", "sqlite": "sqlite+aiosqlite"}
"""Synchronous or short schemes, as hosting platforms hand them out, and the async driver we use."""


def async_database_url(url: str) -> str:
    """`postgres://...` and `postgresql://...` (Heroku, Render, Fly) become `postgresql+asyncpg://...`."""
    scheme, sep, rest = url.partition("://")
    return f"{ASYNC_SCHEMES[scheme.lower()]}{sep}{rest}" if sep and scheme.lower() in ASYNC_SCHEMES else url


class SettingsError(Exception):
    """A setting is missing or malformed; the message names it."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False)

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str = DEFAULT_BASE_URL
    database_url: str | None = None
    data_dir: Path = Field(default_factory=default_data_dir)
    vector_cache_dir: Path | None = None
    """Where the encoded targets for Ukrainian and Russian questions are kept; default DATA_DIR/cache."""
    admin_user_ids: Annotated[tuple[int, ...], NoDecode] = ()
    log_level: str = "INFO"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_path: str | None = None
    """Where the webhook listens; default: the path of WEBHOOK_URL (behind a proxy they may differ)."""
    metrics_port: int | None = None
    """In polling mode, serve /healthz, /readyz and /metrics on this port (webhook mode: WEBHOOK_PORT)."""
    log_format: Literal["text", "json"] = "text"
    briefing_tz: str = "UTC"
    briefing_sweep_seconds: float = 60.0
    """How often missed briefings are looked for; lower it only for tests."""
    max_in_flight: int = Field(20, ge=1, le=100)
    """Updates handled at once: also the most replies a crash (kill -9) can make the bot send twice."""
    max_waiting: int = Field(1000, ge=1)
    """Fetching pauses while this many received updates wait: a longer backlog stays with Telegram."""
    flood_questions: int = Field(20, ge=1)
    flood_seconds: float = Field(60.0, gt=0)
    """Per-user flood control: past FLOOD_QUESTIONS in FLOOD_SECONDS, one notice, then silence."""
    send_rate_limit: float = Field(30.0, ge=0)
    """Messages a second overall (Telegram's cap for one bot); 0 turns the outgoing limiter off, for paid
    broadcast limits or for measuring the bot itself."""
    send_connections: int = Field(8, ge=1, le=100)
    """Connections kept open to the Bot API for sending. Each send checks every pooled connection (httpcore),
    so more cost CPU per reply: 28 took 4.6 ms of bot CPU per update, 8 took 3.8-4.3. Eight carry about
    160 messages/s at a 50 ms round trip, beyond Telegram's 30/s for one bot; raise it for paid
    broadcast limits. A send waiting for a free connection is retried, never lost."""
    send_deadline_seconds: float = Field(60.0, gt=0)
    """How long a reply is retried through 5xx answers and 429s before it is given up."""
    stop_grace_seconds: float = Field(5.0, ge=0)
    """On SIGTERM, how long running handlers may finish; the rest are handled after the next start."""
    pack_poll_seconds: float = 30.0
    """How often a running bot checks the database for a new pack version."""
    shared_context: bool | None = None
    """Keep follow-up context in the database, so replicas sharing it answer follow-ups whichever gets
    the message; default: when the database is PostgreSQL (SQLite keeps it in memory)."""
    replica_name: str | None = Field(None, max_length=200)
    """This process among replicas sharing a database; default: host name and webhook port. A restarted
    replica with the same name takes back the updates it left unhandled at once, others after 30 s."""

    @field_validator("briefing_tz")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from knowledge.store.subscriptions import SubscriptionInputError, parse_timezone

        try:
            return parse_timezone(value)
        except SubscriptionInputError as exc:
            raise ValueError(str(exc)) from None

    @field_validator("admin_user_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(int(part) for part in value.replace(";", ",").split(",") if part.strip())
        return value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str | None) -> str | None:
        return async_database_url(value.strip()) if value and value.strip() else None

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level

    @property
    def effective_vector_cache_dir(self) -> Path:
        return (self.vector_cache_dir or self.data_dir.expanduser() / "cache").expanduser()

    @property
    def effective_webhook_path(self) -> str:
        """WEBHOOK_PATH, else the path Telegram will post to (WEBHOOK_URL's); always one leading slash."""
        path = self.webhook_path or (urlsplit(self.webhook_url).path if self.webhook_url else "")
        return "/" + path.strip("/")

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir.expanduser() / 'talksbot.db').resolve()}"

    def effective_replica_name(self, webhook: bool) -> str:
        """REPLICA_NAME, else host name and webhook port: the same again after a restart."""
        if self.replica_name:
            return self.replica_name
        return f"{socket.gethostname()}:{self.webhook_port if webhook else 'polling'}"

    @property
    def effective_shared_context(self) -> bool:
        if self.shared_context is not None:
            return self.shared_context
        return self.effective_database_url.startswith("postgresql")

    @property
    def index_dir(self) -> Path:
        """Where built matcher indexes persist: inside the data directory, beside the default database."""
        return (self.data_dir.expanduser() / "index").resolve()


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first.get("loc") else "settings"
        raise SettingsError(f"{name}: {first['msg']}") from None
    except ValueError as exc:
        raise SettingsError(str(exc).splitlines()[0]) from None
