"""The store and the briefing ledger on a real PostgreSQL server, with several processes at once.

Runs when TALKSBOT_TEST_POSTGRES_URL names a server (`.ci/run` starts one on 127.0.0.1 with
`.ci/postgres.sh`); each test gets a database of its own.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import subprocess
import sys
import textwrap
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from knowledge.store.store import Store
from tests.support.botapi import BotAPIStandIn
from tests.test_loading import check_failed_load_changes_nothing, dump

SERVER = os.environ.get("TALKSBOT_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not SERVER, reason="TALKSBOT_TEST_POSTGRES_URL is not set")


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    import asyncpg

    assert SERVER is not None
    admin = make_url(SERVER)
    name = f"talksbot_{uuid.uuid4().hex[:12]}"
    dsn = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn)
    await connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        await connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await connection.close()


async def test_store_on_postgres_migrates_loads_once_and_answers(pg_url: str) -> None:
    store = await Store.open(pg_url)
    try:
        answerer = await store.answerer()
        assert "Umerov" in answerer.ask("who leads ukraine's team?").answer
        before = await dump(store)
        assert not (await store.load()).changed
        assert await dump(store) == before
    finally:
        await store.close()


async def test_a_failed_load_leaves_postgres_unchanged(pg_url: str, pack_copy: Path) -> None:
    store = await Store.open(pg_url)
    try:
        await check_failed_load_changes_nothing(store, pack_copy)
    finally:
        await store.close()


CLAIMER = textwrap.dedent("""
    import asyncio, datetime as dt, sys
    from knowledge.store.db import create_engine, migrate, session_factory
    from knowledge.store.ledger import Ledger

    async def main(url, days):
        engine = create_engine(url)
        await migrate(engine)
        ledger = Ledger(session_factory(engine))
        now = dt.datetime.now(dt.timezone.utc)
        won = [day for day in range(days) if await ledger.claim(42, dt.date(2030, 1, 1) + dt.timedelta(days=day), now)]
        print(" ".join(map(str, won)))
        await engine.dispose()

    asyncio.run(main(sys.argv[1], int(sys.argv[2])))
""")


def test_each_day_is_claimed_by_exactly_one_of_several_processes(pg_url: str) -> None:
    days = 40
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", CLAIMER, pg_url, str(days)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    results = [process.communicate(timeout=120) for process in processes]
    assert all(process.returncode == 0 for process in processes), [err for _, err in results]
    won = [set(map(int, out.split())) for out, _ in results]
    assert set().union(*won) == set(range(days))
    assert sum(len(w) for w in won) == days  # no day claimed twice


def test_two_bot_processes_sharing_postgres_send_one_briefing(pg_url: str, tmp_path: Path) -> None:
    async def subscribe_in_the_past() -> None:
        store = await Store.open(pg_url)
        try:
            async with store.engine.begin() as connection:
                await connection.execute(
                    text(
                        "INSERT INTO subscriptions (chat_id, local_time, timezone, created_at) "
                        "VALUES (909, '00:00', 'UTC', :created)"
                    ),
                    {"created": dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=1)},
                )
        finally:
            await store.close()

    asyncio.run(subscribe_in_the_past())
    with BotAPIStandIn(long_poll_cap=0.5) as api:
        env = dict(
            os.environ,
            TELEGRAM_BOT_TOKEN=api.token,
            TELEGRAM_BASE_URL=api.base_url,
            DATABASE_URL=pg_url,
            BRIEFING_SWEEP_SECONDS="0.3",
        )
        env.pop("WEBHOOK_URL", None)
        logs = [open(tmp_path / f"bot{i}.log", "w") for i in range(2)]
        bots = [
            subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "run"], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=log
            )
            for log in logs
        ]
        try:
            api.wait_for("sendMessage", lambda c: c.params.get("chat_id") == 909, timeout=60)
            import time

            time.sleep(3)  # many more sweeps by both processes
        finally:
            for bot in bots:
                bot.terminate()
            for bot in bots:
                bot.wait(timeout=20)
            for log in logs:
                log.close()
        briefings = [c for c in api.calls_to("sendMessage", include_failed=False) if c.params.get("chat_id") == 909]
    assert len(briefings) == 1, [p.read_text()[-2000:] for p in tmp_path.glob("bot*.log")]
    assert all(bot.returncode == 0 for bot in bots)
