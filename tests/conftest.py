"""Shared fixtures: real SQLite files, the bundled pack, one answerer for the whole session."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from knowledge.answer import Answerer
from knowledge.encoder import encoder_installed
from knowledge.pack import bundled_pack_dir
from knowledge.store.store import Store

os.environ.setdefault("FLOOD_QUESTIONS", "100000")
"""Suites of scripted questions from one user ask far faster than a person; tests of flood control
set their own limit."""


ENCODER_USERS = {
    "test_cli",
    "test_cli_languages",
    "test_crosslingual",
    "test_languages",
    "test_bot_e2e",
    "test_bot_process",
    "test_bench",
    "test_i18n",
}
"""Test modules whose questions (some in subprocesses) reach the sentence encoder."""


@pytest.fixture(scope="session", autouse=True)
def vector_cache(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One vector cache for the session, shared with subprocesses through VECTOR_CACHE_DIR. Encoding
    the bundled pack's targets takes about a minute here, so it is done once, up front, and only for
    sessions with tests that need it (a subprocess doing it would hit its timeout)."""
    directory = tmp_path_factory.mktemp("vectors")
    os.environ["VECTOR_CACHE_DIR"] = str(directory)
    modules = {item.module.__name__.rpartition(".")[2] for item in request.session.items if item.module}
    if encoder_installed() and modules & ENCODER_USERS:
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('warm') / 'talksbot.db'}"

        async def warm() -> None:
            store = await Store.open(url, cache_dir=directory)
            try:
                (await store.answerer()).crosslingual.warm()
            finally:
                await store.close()

        asyncio.run(warm())
    return directory


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'talksbot.db'}"


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[Store]:
    opened = await Store.open(db_url)
    yield opened
    await opened.close()


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled pack, for tests that break or extend it."""
    target = tmp_path / "pack"
    shutil.copytree(bundled_pack_dir(), target)
    return target


@pytest.fixture(scope="session")
def answerer(tmp_path_factory: pytest.TempPathFactory, vector_cache: Path) -> Answerer:
    """The bundled pack loaded into a real SQLite file, read once into memory."""
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('answerer') / 'talksbot.db'}"

    async def build() -> Answerer:
        store = await Store.open(url, cache_dir=vector_cache)
        try:
            return await store.answerer()
        finally:
            await store.close()

    return asyncio.run(build())


@pytest.fixture(params=["sqlite", "postgresql"])
async def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    """A store on SQLite, and on PostgreSQL when TALKSBOT_TEST_POSTGRES_URL names a server."""
    if request.param == "sqlite":
        opened = await Store.open(f"sqlite+aiosqlite:///{tmp_path / 't.db'}")
        yield opened
        await opened.close()
        return
    server = os.environ.get("TALKSBOT_TEST_POSTGRES_URL")
    if not server:
        pytest.skip("TALKSBOT_TEST_POSTGRES_URL is not set")
    import asyncpg

    admin = make_url(server)
    name = f"talksbot_{uuid.uuid4().hex[:12]}"
    connection = await asyncpg.connect(admin.set(drivername="postgresql").render_as_string(hide_password=False))
    await connection.execute(f'CREATE DATABASE "{name}"')
    try:
        opened = await Store.open(admin.set(database=name).render_as_string(hide_password=False))
        yield opened
        await opened.close()
    finally:
        await connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await connection.close()
