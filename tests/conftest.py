"""Shared fixtures: real SQLite files, the bundled pack, one answerer for the whole session."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from knowledge.answer import Answerer
from knowledge.pack import bundled_pack_dir
from knowledge.service import Store

os.environ.setdefault("FLOOD_QUESTIONS", "100000")
"""Suites of scripted questions from one user ask far faster than a person; tests of flood control
set their own limit."""


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
def answerer(tmp_path_factory: pytest.TempPathFactory) -> Answerer:
    """The bundled pack loaded into a real SQLite file, read once into memory."""
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('answerer') / 'talksbot.db'}"

    async def build() -> Answerer:
        store = await Store.open(url)
        try:
            return await store.answerer()
        finally:
            await store.close()

    return asyncio.run(build())
