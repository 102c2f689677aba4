"""The unanswered-question log: what people asked that the sources could not answer.

Maintainers read it (`talksbot unanswered`, or /stats for administrators) to decide which sources,
facts, phrasings or lexicon entries to add. Only question text is kept, never who asked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from knowledge.models import UnansweredQuestion
from knowledge.text import normalise

MAX_CHARS = 500


@dataclass(frozen=True)
class Unanswered:
    text: str
    count: int
    last_asked: dt.datetime


async def record_unanswered(sessions: async_sessionmaker[AsyncSession], question: str, now: dt.datetime) -> None:
    """Count one more asking of `question` (by its normalised form); empty questions are not logged."""
    question = question.replace("\x00", "")  # PostgreSQL text cannot hold NUL
    key = normalise(question)[:MAX_CHARS]
    if not key:
        return
    text = question.strip()[:MAX_CHARS]
    for _ in range(2):  # a concurrent first insert of the same key: then it is an update
        async with sessions() as session, session.begin():
            changed = await session.execute(
                update(UnansweredQuestion).where(UnansweredQuestion.key == key)
                .values(count=UnansweredQuestion.count + 1, text=text, last_asked=now))
            if getattr(changed, "rowcount", 0):
                return
        try:
            async with sessions() as session, session.begin():
                session.add(UnansweredQuestion(key=key, text=text, count=1, first_asked=now, last_asked=now))
            return
        except IntegrityError:
            continue


async def most_asked(sessions: async_sessionmaker[AsyncSession], limit: int = 20) -> list[Unanswered]:
    async with sessions() as session:
        rows = await session.scalars(select(UnansweredQuestion)
                                     .order_by(UnansweredQuestion.count.desc(), UnansweredQuestion.last_asked.desc())
                                     .limit(limit))
        return [Unanswered(row.text, row.count, row.last_asked) for row in rows]
