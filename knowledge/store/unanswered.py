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

from knowledge.store.db import as_utc
from knowledge.store.models import UnansweredQuestion
from knowledge.text import normalise

MAX_CHARS = 500


@dataclass(frozen=True)
class Unanswered:
    text: str
    count: int
    last_asked: dt.datetime
    language: str = "en"


def guess_language(text: str) -> str:
    """'uk', 'ru' or 'en': enough to filter the log by, not a language detector."""
    if any(ch in "іїєґІЇЄҐ" for ch in text):
        return "uk"
    if any("\u0400" <= ch <= "\u04ff" for ch in text):
        return "ru"
    return "en"


async def record_unanswered(
    sessions: async_sessionmaker[AsyncSession], question: str, now: dt.datetime, language: str | None = None
) -> None:
    """Count one more asking of `question` (by its normalised form); empty questions are not logged."""
    question = question.replace("\x00", "")  # PostgreSQL text cannot hold NUL
    key = normalise(question)[:MAX_CHARS]
    if not key:
        return
    text = question.strip()[:MAX_CHARS]
    language = language or guess_language(text)
    for _ in range(2):  # a concurrent first insert of the same key: then it is an update
        async with sessions() as session, session.begin():
            changed = await session.execute(
                update(UnansweredQuestion)
                .where(UnansweredQuestion.key == key)
                .values(count=UnansweredQuestion.count + 1, text=text, last_asked=now, language=language)
            )
            if getattr(changed, "rowcount", 0):
                return
        try:
            async with sessions() as session, session.begin():
                session.add(
                    UnansweredQuestion(key=key, text=text, count=1, first_asked=now, last_asked=now, language=language)
                )
            return
        except IntegrityError:
            continue


async def most_asked(
    sessions: async_sessionmaker[AsyncSession],
    limit: int | None = 20,
    since: dt.datetime | None = None,
    language: str | None = None,
) -> list[Unanswered]:
    """Most asked first; only those last asked at or after `since`, and only in `language`, if given."""
    query = select(UnansweredQuestion).order_by(UnansweredQuestion.count.desc(), UnansweredQuestion.last_asked.desc())
    if since is not None:
        query = query.where(UnansweredQuestion.last_asked >= since)
    if language is not None:
        query = query.where(UnansweredQuestion.language == language)
    async with sessions() as session:
        rows = await session.scalars(query.limit(limit))
        return [Unanswered(row.text, row.count, as_utc(row.last_asked), row.language) for row in rows]
