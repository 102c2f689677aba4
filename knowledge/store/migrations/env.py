"""Alembic environment: runs on the connection `knowledge.store.db.migrate` hands over.

Run by hand (`alembic upgrade head`, `alembic current`) it uses the bot's own database: DATABASE_URL,
or the default SQLite file in DATA_DIR, read by the bot's settings. Problems end in one line.
"""

from __future__ import annotations

import asyncio
import sys

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from knowledge.store.tables import Base

target_metadata = Base.metadata


def run_on(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


async def run_standalone(url: str) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(run_on)
    finally:
        await engine.dispose()


def bot_database_url() -> str:
    """The URL `talksbot` itself would use (same settings, same default, same URL mapping)."""
    from bot.settings import SettingsError, load_settings

    try:
        return load_settings().effective_database_url
    except SettingsError as exc:
        sys.exit(f"alembic: error: {exc}")


def run_by_hand() -> None:
    from sqlalchemy.exc import SQLAlchemyError

    from knowledge.store.db import create_engine, safe_url
    from knowledge.store.errors import StoreError

    url = bot_database_url()
    try:
        create_engine(url).sync_engine.dispose()  # the bot's checks: driver, writable data directory
        asyncio.run(run_standalone(url))
    except StoreError as exc:
        sys.exit(f"alembic: error: {exc}")
    except (SQLAlchemyError, OSError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        sys.exit(f"alembic: error: cannot open database {safe_url(url)}: {reason}")


connection = context.config.attributes.get("connection")
if connection is not None:
    run_on(connection)
else:
    run_by_hand()
