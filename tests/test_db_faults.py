"""Database faults are told to the user and logged in one line; answering goes on from memory.

Real faults on real SQLite files: a database opened read-only, and a file deleted under the
running bot. The bot is the real Application against the Bot API stand-in."""

from __future__ import annotations

import datetime as dt
import logging
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
