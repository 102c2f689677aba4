"""Database writes off the update path: SQLite's write-ahead log, handled marks committed together,
and the unanswered-question log written behind the replies, all of it written at a stop."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

import knowledge.store.unanswered as unanswered_module
from bot.app import serve
from bot.settings import Settings
from knowledge.store.db import STORE_FAULTS, _sqlite_pragmas
from knowledge.store.inbox import HandledMarks, Inbox
from knowledge.store.store import Store
from knowledge.store.unanswered import UnansweredLog, most_asked
from tests.support.botapi import BotAPIStandIn
from tests.support.waiting import eventually

NOW = dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)
DECLINED = "what colour is the moon on tuesdays?"


@contextmanager
def statements() -> Iterator[list[str]]:
    """Every SQL statement any engine runs meanwhile (executemany counts once)."""
    seen: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", before)


def writes_to(seen: list[str], table: str) -> list[str]:
    return [s for s in seen if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) and table in s]


async def test_a_sqlite_file_is_in_write_ahead_log_mode_with_normal_sync(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    store = await Store.open(f"sqlite+aiosqlite:///{path}")
    try:
        async with store.engine.connect() as connection:
            assert (await connection.execute(text("PRAGMA synchronous"))).scalar() == 1  # NORMAL
    finally:
        await store.close()
    with sqlite3.connect(path) as plain:  # the mode is kept in the file itself
        assert plain.execute("PRAGMA journal_mode").fetchone() == ("wal",)


async def test_postgres_gets_no_sqlite_pragmas(any_store: Store) -> None:
    is_sqlite = any_store.engine.dialect.name == "sqlite"
    assert event.contains(any_store.engine.sync_engine, "connect", _sqlite_pragmas) == is_sqlite
    async with any_store.engine.connect() as connection:
        assert (await connection.execute(text("SELECT 1"))).scalar() == 1


async def test_handled_marks_wait_to_be_written_together_and_a_close_writes_them(any_store: Store) -> None:
    inbox = Inbox(any_store.sessions, 1, "a")
    await inbox.keep([{"update_id": n} for n in range(1, 6)], NOW)
    marks = HandledMarks(inbox, batch=100, linger=3600.0)  # only a full batch or a close writes
    waiting = [asyncio.create_task(marks.mark(n)) for n in range(1, 5)]
    await eventually(lambda: len(marks._waiting) == 4, "four marks waiting")
    assert not any(task.done() for task in waiting)  # a mark returns only once it is written
    with statements() as seen:
        await marks.close()
    await asyncio.gather(*waiting)
    assert len(writes_to(seen, "received_updates")) == 1 and marks.commits == 1
    assert [update["update_id"] for update in await inbox.unhandled()] == [5]


async def test_a_full_batch_of_marks_is_written_at_once(any_store: Store) -> None:
    inbox = Inbox(any_store.sessions, 1, "a")
    await inbox.keep([{"update_id": n} for n in range(1, 11)], NOW)
    marks = HandledMarks(inbox, batch=5, linger=3600.0)
    await asyncio.wait_for(asyncio.gather(*(marks.mark(n) for n in range(1, 11))), 30)
    assert marks.commits == 2
    assert await inbox.unhandled() == []


async def test_a_mark_whose_caller_was_cancelled_is_still_written(any_store: Store) -> None:
    inbox = Inbox(any_store.sessions, 1, "a")
    await inbox.keep([{"update_id": 1}], NOW)
    marks = HandledMarks(inbox, linger=3600.0)
    caller = asyncio.create_task(marks.mark(1))
    await eventually(lambda: len(marks._waiting) == 1, "the mark waiting")
    caller.cancel()  # a stop cutting a handler short after its work was done
    await marks.close()
    assert await inbox.unhandled() == []


async def test_declines_are_counted_in_memory_and_written_together(any_store: Store) -> None:
    log = UnansweredLog(any_store.sessions, interval=3600.0)
    with statements() as seen:
        for question in ("Who won the regatta?", "who won the regatta", "What is the tide\x00 table?"):
            log.record(question, NOW)
        assert writes_to(seen, "unanswered_questions") == []
        await log.close()
    assert len(writes_to(seen, "unanswered_questions")) == 1
    rows = await most_asked(any_store.sessions)
    assert [(row.text, row.count) for row in rows] == [("who won the regatta", 2), ("What is the tide table?", 1)]
    log.record("Who won the regatta?", NOW + dt.timedelta(hours=1))  # added to what is stored
    await log.close()
    assert [row.count for row in await most_asked(any_store.sessions)] == [3, 1]


async def test_unwritten_declines_wait_for_the_next_write_when_the_database_fails(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    store = await Store.open(f"sqlite+aiosqlite:///{path}")
    log = UnansweredLog(store.sessions, interval=3600.0)
    try:
        log.record("Who won the regatta?", NOW)
        async with store.engine.begin() as connection:
            await connection.execute(text("DROP TABLE unanswered_questions"))
        with pytest.raises(STORE_FAULTS):
            await log.flush()
        assert log.waiting == 1
    finally:
        await store.close()


async def test_a_declined_question_in_the_bot_writes_nothing_to_the_log_until_it_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(unanswered_module, "WRITE_SECONDS", 3600.0)  # only the stop writes
    database = tmp_path / "t.db"
    api = BotAPIStandIn(long_poll_cap=0.5).start()
    settings = Settings(
        _env_file=None,
        telegram_bot_token=api.token,
        telegram_base_url=api.base_url,
        database_url=f"sqlite+aiosqlite:///{database}",
    )
    stop = asyncio.Event()
    task = asyncio.create_task(serve(settings, stop))
    try:
        await api.wait_for_async("getUpdates", timeout=60)
        with statements() as seen:
            for chat in (501, 502, 503):
                api.push_message(DECLINED, chat_id=chat, user_id=chat)
            for chat in (501, 502, 503):
                await api.wait_for_async(
                    "sendMessage", lambda c, chat=chat: c.params.get("chat_id") == chat, timeout=30
                )
            assert writes_to(seen, "unanswered_questions") == []  # three declines answered, none written
            stop.set()
            await asyncio.wait_for(task, 30)
        assert len(writes_to(seen, "unanswered_questions")) == 1  # all three, at the stop
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
        api.stop()
    store = await Store.open(f"sqlite+aiosqlite:///{database}")
    try:
        assert [row.count for row in await most_asked(store.sessions)] == [3]
    finally:
        await store.close()
