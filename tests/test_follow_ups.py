"""Follow-up context in the database (for replicas): per chat and user, 5 minutes, by an injected clock."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

import handlers.context
from bot.settings import Settings
from knowledge.store.follow_ups import FollowUps
from knowledge.matcher import Match
from knowledge.store.tables import FollowUpContext
from knowledge.store.store import Store
from tests.support.botapi import BotAPIStandIn
from tests.support.running import running_bot
from tests.support.waiting import eventually

UKRAINE = Match(
    "who leads ukraine's team, my friend Olena asks?",
    "ukraine-lead",
    "who_leads",
    97.0,
    slot_value="ukraine",
    suggestions=("who leads russia's team?",),
)


async def test_context_is_per_chat_and_user_and_expires(any_store: Store) -> None:
    follow_ups = FollowUps(any_store.sessions, bot_id=1)
    await follow_ups.remember(10, 5, UKRAINE, now=1_000.0)
    recalled = await follow_ups.recall(10, 5, now=1_299.0, max_age=300)
    assert recalled is not None
    assert (recalled.intent, recalled.fact, recalled.slot_value, recalled.confidence) == (
        "who_leads",
        "ukraine-lead",
        "ukraine",
        97.0,
    )
    assert recalled.suggestions == UKRAINE.suggestions and recalled.question == ""
    assert await follow_ups.recall(10, 5, now=1_301.0, max_age=300) is None  # expired
    assert await follow_ups.recall(10, 6, now=1_001.0, max_age=300) is None  # another user
    assert await follow_ups.recall(11, 5, now=1_001.0, max_age=300) is None  # another chat
    assert await FollowUps(any_store.sessions, bot_id=2).recall(10, 5, now=1_001.0, max_age=300) is None  # another bot


async def test_the_newest_context_replaces_the_last_and_old_ones_are_deleted(any_store: Store) -> None:
    follow_ups = FollowUps(any_store.sessions, bot_id=1)
    await follow_ups.remember(10, 5, UKRAINE, now=1_000.0)
    await follow_ups.remember(10, 5, Match("q", "russia-lead", "who_leads", 90.0, slot_value="russia"), now=1_100.0)
    await follow_ups.remember(12, 5, UKRAINE, now=1_200.0)
    recalled = await follow_ups.recall(10, 5, now=1_101.0, max_age=300)
    assert recalled is not None and recalled.fact == "russia-lead"
    assert await follow_ups.forget_before(1_150.0) == 1
    assert await follow_ups.recall(10, 5, now=1_101.0, max_age=300) is None
    assert await follow_ups.recall(12, 5, now=1_201.0, max_age=300) is not None


async def test_what_the_user_wrote_is_not_stored(any_store: Store) -> None:
    await FollowUps(any_store.sessions, bot_id=1).remember(10, 5, UKRAINE, now=1_000.0)
    async with any_store.sessions() as session:
        rows = (await session.scalars(select(FollowUpContext))).all()
    assert len(rows) == 1 and "Olena" not in repr(rows[0].decision)


@pytest.mark.parametrize(
    "url, shared, expected",
    [
        ("sqlite+aiosqlite:///t.db", None, False),
        ("postgres://u:p@db.example/talks", None, True),
        ("sqlite+aiosqlite:///t.db", True, True),
        ("postgresql+asyncpg://u@h/db", False, False),
    ],
)
def test_shared_context_defaults_to_on_for_postgresql(url: str, shared: bool | None, expected: bool) -> None:
    settings = Settings(_env_file=None, database_url=url, shared_context=shared)
    assert settings.effective_shared_context is expected


async def test_the_bot_with_shared_context_follows_up_after_a_restart_and_expires(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A restarted process stands in for another replica: it has none of the first one's memory."""
    now = [1_000_000.0]
    monkeypatch.setattr(handlers.context, "shared_clock", lambda: now[0])
    database = tmp_path / "t.db"
    with BotAPIStandIn(long_poll_cap=0.5) as api:

        def replies(chat_id: int) -> list[str]:
            return [
                str(c.params["text"])
                for c in api.calls_to("sendMessage", include_failed=False)
                if c.params.get("chat_id") == chat_id
            ]

        async def ask(text: str, chat_id: int) -> str:
            before = len(replies(chat_id))
            api.push_message(text, chat_id=chat_id, user_id=chat_id)
            await eventually(lambda: len(replies(chat_id)) > before, f"an answer to {text!r}")
            return replies(chat_id)[-1]

        async with running_bot(api, database, shared_context=True):
            assert "Umerov" in await ask("who leads ukraine's team?", 501)
            assert "Umerov" in await ask("who leads ukraine's team?", 502)
        async with running_bot(api, database, shared_context=True):
            now[0] += handlers.context.FOLLOW_UP_SECONDS - 1
            assert "Medinsky" in await ask("and Russia's?", 501)
            now[0] += 2
            assert "Medinsky" not in await ask("and Russia's?", 502)
