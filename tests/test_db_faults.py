"""Database faults are told to the user and logged in one line; answering goes on from memory.

Real faults: a SQLite database opened read-only, a file deleted under the running bot, a full disk
(a small tmpfs filled up as root; a file size limit of 0 on the bot process without), and a real
PostgreSQL server stopped under the bot and started again. The bot is the real Application (or
`talksbot run`) against the Bot API stand-in."""

from __future__ import annotations

import asyncio
import datetime as dt
import errno
import logging
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from handlers.errors import STORE_TROUBLE
from knowledge.store.db import StoreError
from knowledge.store.store import Store
from knowledge.store.subscriptions import SubscriptionInputError, parse_timezone
from knowledge.store.unanswered import most_asked, record_unanswered
from tests.support.botapi import BotAPIStandIn
from tests.support.running import running_bot
from tests.support.waiting import eventually
from tests.test_postgres import SERVER, pg_url  # noqa: F401  (a fixture)


def _replies(api: BotAPIStandIn, chat_id: int) -> list[str]:
    return [
        c.params["text"]
        for c in api.calls_to("sendMessage", include_failed=False)
        if c.params.get("chat_id") == chat_id
    ]


async def _ask(api: BotAPIStandIn, chat_id: int, text: str) -> str:
    before = len(_replies(api, chat_id))
    api.push_message(text, chat_id=chat_id, user_id=chat_id)
    await eventually(lambda: len(_replies(api, chat_id)) > before, f"a reply to {text!r}")
    return _replies(api, chat_id)[-1]


async def _prepared(database: Path) -> None:
    store = await Store.open(f"sqlite+aiosqlite:///{database}")
    await store.answerer()  # schema and pack in place: a read-only open needs no writes
    await store.close()


async def test_a_read_only_database_gets_a_short_reply_and_questions_are_still_answered(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    database = tmp_path / "bot.db"
    await _prepared(database)
    read_only = f"sqlite+aiosqlite:///file:{database}?mode=ro&uri=true"
    caplog.set_level(logging.INFO)
    with BotAPIStandIn(long_poll_cap=0.5) as api:
        async with running_bot(api, database, database_url=read_only, admin_user_ids=(701,)):
            assert await _ask(api, 701, "/subscribe 08:30 Europe/Kyiv") == STORE_TROUBLE
            assert await _ask(api, 701, "/unsubscribe") in (STORE_TROUBLE, "This chat has no daily briefing.")
            assert "Umerov" in await _ask(api, 701, "who leads ukraine's team?")
            assert "declined" in await _ask(api, 701, "/stats")
            assert (await _ask(api, 701, "who won the football?")).startswith("I don't have")
    assert "Traceback" not in caplog.text
    assert len([r for r in caplog.records if "cannot keep received updates" in r.getMessage()]) == 1


async def test_a_database_file_deleted_under_the_bot_is_reported_and_not_recreated_empty(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    database = tmp_path / "bot.db"
    caplog.set_level(logging.INFO)
    with BotAPIStandIn(long_poll_cap=0.5) as api:
        async with running_bot(api, database, briefing_sweep_seconds=0.2):
            assert (await _ask(api, 702, "/subscribe 08:30 Europe/Kyiv")).startswith("Daily briefing set")
            database.unlink()
            assert await _ask(api, 702, "/subscription") == STORE_TROUBLE
            assert "Umerov" in await _ask(api, 702, "who leads ukraine's team?")
            await eventually(
                lambda: len([r for r in caplog.records if "briefing sweep skipped" in r.getMessage()]) >= 2,
                "two sweeps that failed",
            )
    deleted = [r for r in caplog.records if r.name == "knowledge.store.dbfile"]
    assert len(deleted) == 1 and deleted[0].levelno == logging.ERROR
    assert not [r for r in caplog.records if "briefing sweep" in r.getMessage() and r.exc_info]
    with pytest.raises(StoreError, match="was deleted .* to start with an empty database"):
        await Store.open(f"sqlite+aiosqlite:///{database}")


@pytest.mark.parametrize("zone", ["localtime", "Factory", "posix/Europe/Kyiv", "right/UTC", "posixrules"])
def test_time_zones_that_depend_on_the_host_are_refused(zone: str) -> None:
    with pytest.raises(SubscriptionInputError, match="depends on the server"):
        parse_timezone(zone)
    assert parse_timezone("Europe/Kyiv") == "Europe/Kyiv"


async def test_a_nul_in_a_question_does_not_reach_the_unanswered_log(db_url: str) -> None:
    await _nul_question_is_logged(db_url)


async def test_a_lone_surrogate_in_a_question_does_not_break_the_unanswered_log(tmp_path: Path) -> None:
    """Found by the long fuzz profile: one such question failed every later write of the log and
    the write at the bot's stop."""
    store = await Store.open(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    try:
        await record_unanswered(store.sessions, "who is \ud800 the mayor?", dt.datetime.now(dt.timezone.utc))
        await record_unanswered(store.sessions, "who won the football?", dt.datetime.now(dt.timezone.utc))
        assert sorted(row.text for row in await most_asked(store.sessions)) == [
            "who is ? the mayor?",
            "who won the football?",
        ]
    finally:
        await store.close()


async def _nul_question_is_logged(url: str) -> None:
    store = await Store.open(url)
    try:
        await record_unanswered(store.sessions, "who is\x00 the mayor?", dt.datetime.now(dt.timezone.utc))
        assert [row.text for row in await most_asked(store.sessions)] == ["who is the mayor?"]
    finally:
        await store.close()


@pytest.mark.skipif(not SERVER, reason="TALKSBOT_TEST_POSTGRES_URL is not set")
async def test_a_nul_in_a_question_does_not_break_the_unanswered_log_on_postgres(pg_url: str) -> None:
    await _nul_question_is_logged(pg_url)


POSTGRES_SCRIPT = Path(__file__).resolve().parents[1] / ".ci" / "postgres.sh"
HAVE_POSTGRES = any(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))


def _postgres(action: str, directory: Path) -> str:
    done = subprocess.run(
        ["bash", str(POSTGRES_SCRIPT), action, str(directory)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


async def _database_goes_away_and_comes_back(
    api: BotAPIStandIn,
    chat: int,
    caplog: pytest.LogCaptureFixture,
    break_it: Callable[[], None],
    mend_it: Callable[[], None],
    *,
    reads_work: bool = False,
) -> None:
    """With the bot running: a subscription saved, the database broken, commands get the short
    reply, questions are answered, the sweep fails one line at a time; mended, all works again and
    the subscription saved before is still there. With `reads_work` (a full disk) what only reads
    is answered as usual, and the sweep (nothing is due) has nothing to fail."""
    assert (await _ask(api, chat, "/subscribe 08:30 Europe/Kyiv")).startswith("Daily briefing set")
    await asyncio.to_thread(break_it)
    sweeps_before = len([r for r in caplog.records if "briefing sweep skipped" in r.getMessage()])
    assert await _ask(api, chat, "/subscribe 09:00 Europe/Kyiv") == STORE_TROUBLE
    assert await _ask(api, chat, "/subscription") == (
        "Daily briefing at 08:30 (Europe/Kyiv)." if reads_work else STORE_TROUBLE
    )
    assert (await _ask(api, chat, "/stats")).startswith("Since start")  # the counts in memory
    assert "Umerov" in await _ask(api, chat, "who leads ukraine's team?")
    assert (await _ask(api, chat, "who won the football?")).startswith("I don't have")
    if not reads_work:
        await eventually(
            lambda: len([r for r in caplog.records if "briefing sweep skipped" in r.getMessage()]) >= sweeps_before + 2,
            "two sweeps that failed",
        )
    await asyncio.to_thread(mend_it)
    assert await _first_reply_not_in_trouble(api, chat, "/subscription") == "Daily briefing at 08:30 (Europe/Kyiv)."
    assert (await _first_reply_not_in_trouble(api, chat, "/subscribe 09:00 Europe/Kyiv")).startswith(
        "Daily briefing set"
    )
    assert await _ask(api, chat, "/subscription") == "Daily briefing at 09:00 (Europe/Kyiv)."
    assert "In all" in await _ask(api, chat, "/stats")
    assert not [r for r in caplog.records if r.exc_info and r.levelno >= logging.WARNING], [
        r.getMessage() for r in caplog.records if r.exc_info
    ]


async def _first_reply_not_in_trouble(api: BotAPIStandIn, chat: int, command: str) -> str:
    """Ask until the database answers again (a pool may need a moment to reconnect)."""
    deadline = time.monotonic() + 30
    while (reply := await _ask(api, chat, command)) == STORE_TROUBLE:
        assert time.monotonic() < deadline, "the database never worked again"
    return reply


@pytest.mark.skipif(not HAVE_POSTGRES, reason="no PostgreSQL server binaries (/usr/lib/postgresql/*/bin)")
async def test_postgres_stopped_under_the_bot_gets_short_replies_and_after_its_restart_all_works(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A real PostgreSQL server of the test's own, stopped by its data directory under the running
    bot and started again: the bot neither crashes nor loses what was saved before."""
    caplog.set_level(logging.INFO)
    directory = Path(tempfile.mkdtemp(prefix="pg-faults-"))  # the server's owner must reach it
    try:
        url = _postgres("start", directory)
        with BotAPIStandIn(long_poll_cap=0.5) as api:
            async with running_bot(
                api, tmp_path / "unused.db", database_url=url, briefing_sweep_seconds=0.2, admin_user_ids=(703,)
            ) as bot:
                await _database_goes_away_and_comes_back(
                    api,
                    703,
                    caplog,
                    lambda: _postgres("halt", directory),
                    lambda: _postgres("resume", directory),
                )
                assert not bot.done()
    finally:
        _postgres("stop", directory)


def _mount_tmpfs(directory: Path, size: str) -> bool:
    if os.geteuid() != 0:
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(directory)]).returncode == 0


async def test_a_full_disk_gets_short_replies_and_once_there_is_room_all_works(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A full disk, for real: the SQLite file on a small tmpfs of its own (as root), filled up with a
    file until the file system refuses another byte (ENOSPC), and emptied again."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    if not _mount_tmpfs(mount, "32m"):
        pytest.skip("mounting a tmpfs needs root (test_a_full_disk_..._file_size_limit simulates it unprivileged)")
    caplog.set_level(logging.INFO)
    filler = mount / "filler"
    try:
        database = mount / "bot.db"
        await _prepared(database)
        with BotAPIStandIn(long_poll_cap=0.5) as api:
            async with running_bot(api, database, briefing_sweep_seconds=0.2, admin_user_ids=(704,)) as bot:
                await _database_goes_away_and_comes_back(
                    api, 704, caplog, lambda: _fill(filler), lambda: filler.unlink(), reads_work=True
                )
                assert not bot.done()
    finally:
        await asyncio.to_thread(subprocess.run, ["umount", "-l", str(mount)])


def _fill(path: Path) -> None:
    """Write until the file system refuses another byte."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        for size in (1 << 20, 4096, 1):
            try:
                while os.write(descriptor, b"\0" * size):
                    pass
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
    finally:
        os.close(descriptor)


async def test_a_full_disk_simulated_by_a_file_size_limit_gets_short_replies_and_then_all_works(
    tmp_path: Path,
) -> None:
    """A full disk without root: `talksbot run` as a process whose file size limit (RLIMIT_FSIZE, set
    from outside with prlimit) drops to 0 while it runs, so no file of its can grow, as on a disk with
    no free block: SQLite cannot write its journal (it says "disk I/O error"). Python ignores the
    SIGXFSZ that comes with it. Its log goes to a pipe, which the limit does not touch."""
    database = tmp_path / "bot.db"
    await _prepared(database)
    env = dict(
        os.environ,
        TELEGRAM_BOT_TOKEN="",
        DATABASE_URL=f"sqlite+aiosqlite:///{database}",
        ADMIN_USER_IDS="705",
        LOG_LEVEL="INFO",
    )
    env.pop("WEBHOOK_URL", None)
    with BotAPIStandIn(long_poll_cap=0.5) as api:
        env.update(TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_BASE_URL=api.base_url)
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run", cwd=tmp_path, env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        assert process.stderr is not None
        log: list[str] = []
        reader = asyncio.create_task(_read_lines(process.stderr, log))
        try:
            await api.wait_for_async("getUpdates", timeout=60)
            soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)  # the bot inherited these
            assert (await _ask(api, 705, "/subscribe 08:30 Europe/Kyiv")).startswith("Daily briefing set")
            resource.prlimit(process.pid, resource.RLIMIT_FSIZE, (0, hard))
            assert await _ask(api, 705, "/subscribe 09:00 Europe/Kyiv") == STORE_TROUBLE
            assert await _ask(api, 705, "/subscription") == "Daily briefing at 08:30 (Europe/Kyiv)."
            assert (await _ask(api, 705, "/stats")).startswith("Since start")
            assert "Umerov" in await _ask(api, 705, "who leads ukraine's team?")
            resource.prlimit(process.pid, resource.RLIMIT_FSIZE, (soft, hard))
            assert (await _ask(api, 705, "/subscribe 09:00 Europe/Kyiv")).startswith("Daily briefing set")
            assert await _ask(api, 705, "/subscription") == "Daily briefing at 09:00 (Europe/Kyiv)."
            assert process.returncode is None
        finally:
            if process.returncode is None:
                process.terminate()
            await asyncio.wait_for(process.wait(), 30)
            await reader
    assert process.returncode == 0
    assert any("database failed" in line and "disk I/O error" in line for line in log), "\n".join(log)
    assert not [line for line in log if "Traceback" in line], "\n".join(log)


async def _read_lines(stream: asyncio.StreamReader, into: list[str]) -> None:
    while line := await stream.readline():
        into.append(line.decode(errors="replace"))
