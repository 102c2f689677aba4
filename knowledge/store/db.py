"""Opening the store: one async engine per process, schema brought up to date by Alembic.

Any SQLAlchemy async URL works (`sqlite+aiosqlite:///...`, `postgresql+asyncpg://...`). Failures
become `StoreError` with one line a person can act on, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, AsyncSession, create_async_engine

from knowledge.store.dbfile import DatabaseFileLost, guard_file, refuse_lost
from knowledge.store.errors import StoreError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_REVISION_LINE = re.compile(r"^(down_revision|revision)\s*=\s*['\"]?([\w.-]+|None)['\"]?\s*$", re.MULTILINE)


SQLITE_POOL = 24
"""Connections kept open to a SQLite file (more are opened for a moment when needed)."""

STORE_FAULTS: tuple[type[BaseException], ...] = (SQLAlchemyError, OSError, StoreError, DatabaseFileLost)
"""What a database that is read-only, full, stopped or deleted raises at a caller."""


def safe_url(url: str) -> str:
    """The URL with any password hidden, fit for error messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"


def create_engine(url: str) -> AsyncEngine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"DATABASE_URL is not a database URL: {url!r}") from None
    try:
        if parsed.get_backend_name() == "sqlite" and _is_file(parsed.database):
            # As many kept connections as updates in flight: each aiosqlite connection is a thread,
            # and one opened and closed per burst of reads costs more than the read.
            engine = create_async_engine(parsed, pool_size=SQLITE_POOL)
        else:
            engine = create_async_engine(parsed, pool_pre_ping=True)
    except (ArgumentError, ImportError) as exc:
        raise StoreError(
            f"cannot use DATABASE_URL {safe_url(url)}: {exc} "
            "(use an async driver, e.g. sqlite+aiosqlite:///path or postgresql+asyncpg://...)"
        ) from None
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot use DATABASE_URL {safe_url(url)}: {exc}") from None
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        if _is_file(parsed.database) and parsed.database is not None:
            path = Path(parsed.database).expanduser().resolve()
            refusal = refuse_lost(path)
            if refusal:
                raise StoreError(refusal)
            _ensure_writable_parent(path)
            guard_file(engine, path)
    return engine


def _is_file(database: str | None) -> bool:
    """A SQLite database in a file named by path (not in memory, not a `file:` URI)."""
    return database not in (None, "", ":memory:") and not str(database).startswith("file:")


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    """Foreign keys on (SQLite leaves them off), a busy timeout so concurrent writers wait, and the
    write-ahead log with `synchronous=NORMAL`: a commit appends to the log without waiting for the
    disk twice, readers never block the writer, and a crash of the process still loses nothing
    committed (only a power cut may lose the last commits, never corrupt the file)."""
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    try:
        cursor.execute("PRAGMA journal_mode=WAL")  # kept in the file: later connections find it set
        cursor.execute("PRAGMA synchronous=NORMAL")  # per connection
    except sqlite3.Error:  # a read-only file keeps the mode it has
        pass
    cursor.close()


def _ensure_writable_parent(path: Path) -> None:
    directory = path.expanduser().resolve().parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create data directory {directory}: {exc.strerror}") from None
    probe = directory / f".talksbot-write-test-{id(path)}"
    try:
        probe.touch()
        probe.unlink()
    except OSError as exc:
        raise StoreError(f"data directory {directory} is not writable: {exc.strerror}") from None


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


MIGRATION_LOCK = 7_232_001
LOAD_LOCK = 7_232_002
"""PostgreSQL advisory lock keys: several bot processes starting together take turns."""


def take_turns(connection: Connection, key: int) -> None:
    """Hold a transaction-scoped lock on PostgreSQL (SQLite's single writer already serialises)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


@cache
def head_revision() -> str | None:
    """The newest migration's revision, read from the migration files without importing Alembic.

    None when the files do not make one straight line (then Alembic itself decides).
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict(_REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        if "revision" not in found or found["revision"] in revisions:
            return None
        revisions.add(found["revision"])
        parents.add(found.get("down_revision", "None"))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _current_revision(connection: Connection) -> str | None:
    """The database's Alembic revision; None if it has none (a new database) or cannot tell."""
    try:
        rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except SQLAlchemyError:
        return None
    return rows[0][0] if len(rows) == 1 else None


def _upgrade(connection: Connection) -> None:
    from alembic import command

    take_turns(connection, MIGRATION_LOCK)
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


async def migrate(engine: AsyncEngine) -> None:
    """Create or upgrade the schema to the newest Alembic revision.

    One query tells whether the schema is already current; only then is Alembic (slow to import)
    left out, so `talksbot ask` starts quickly on a database that is set up.
    """
    try:
        head = head_revision()
        if head is not None:
            async with engine.connect() as connection:
                if await connection.run_sync(_current_revision) == head:
                    return
        async with engine.begin() as connection:
            await connection.run_sync(_upgrade)
    except (SQLAlchemyError, OSError) as exc:
        raise StoreError(f"cannot open database {safe_url(str(engine.url))}: {_reason(exc)}") from None


def _reason(exc: BaseException) -> str:
    original = getattr(exc, "orig", None) or exc
    return str(original).splitlines()[0] if str(original) else type(original).__name__


def one_line(exc: BaseException) -> str:
    """A database fault for the log: its type and first line, no traceback, no SQL."""
    original = getattr(exc, "orig", None) or exc
    text = str(original).splitlines()[0] if str(original) else ""
    return f"{type(original).__name__}: {text}" if text else type(original).__name__


def as_utc(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; every time the store keeps is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
