"""The unanswered-question log: counted by normalised question, most asked first, safe under concurrency."""

from __future__ import annotations

import asyncio
import datetime as dt

from knowledge.store.store import Store
from knowledge.store.unanswered import most_asked, record_unanswered

NOON = dt.datetime(2030, 1, 15, 12, tzinfo=dt.timezone.utc)


async def test_the_same_question_asked_differently_is_counted_together(store: Store) -> None:
    await record_unanswered(store.sessions, "Who coaches Russia's hockey team?", NOON)
    await record_unanswered(store.sessions, "WHO COACHES RUSSIA’S HOCKEY TEAM", NOON + dt.timedelta(minutes=1))
    await record_unanswered(store.sessions, "What's the weather in Istanbul?", NOON)
    await record_unanswered(store.sessions, "   ", NOON)  # nothing to learn from
    rows = await most_asked(store.sessions)
    assert [(row.count, row.text) for row in rows] == [
        (2, "WHO COACHES RUSSIA’S HOCKEY TEAM"),
        (1, "What's the weather in Istanbul?"),
    ]


async def test_concurrent_askings_are_all_counted(store: Store) -> None:
    await asyncio.gather(*(record_unanswered(store.sessions, "Is Zelenskyy married?", NOON) for _ in range(12)))
    assert [row.count for row in await most_asked(store.sessions)] == [12]
