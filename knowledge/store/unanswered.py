"""The unanswered-question log: what people asked that the sources could not answer.

Maintainers read it (`talksbot unanswered`, or /stats for administrators) to decide which sources,
facts, phrasings or lexicon entries to add. Only question text is kept, never who asked.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from knowledge.store.db import STORE_FAULTS, as_utc, one_line
from knowledge.store.tables import UnansweredQuestion
from knowledge.text import normalise

log = logging.getLogger(__name__)

MAX_CHARS = 500
WRITE_SECONDS = 1.0
"""How long a decline's count may wait in memory before the bot writes it (with all that came meanwhile)."""


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


@dataclass
class _Asked:
    """Askings of one question (by its normalised form) not yet written."""

    text: str
    count: int
    first_asked: dt.datetime
    last_asked: dt.datetime
    language: str


def _asking(question: str, now: dt.datetime, language: str | None) -> tuple[str, _Asked] | None:
    # PostgreSQL text cannot hold NUL; no database takes a lone surrogate (not UTF-8), which JSON
    # from a Bot API can carry: it would fail every later write of the log, not just its own.
    question = question.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")
    key = normalise(question)[:MAX_CHARS]
    if not key:
        return None
    text = question.strip()[:MAX_CHARS]
    return key, _Asked(text, 1, now, now, language or guess_language(text))


async def _write(sessions: async_sessionmaker[AsyncSession], asked: dict[str, _Asked]) -> None:
    """Add the askings to the log in one transaction: one upsert per question, so concurrent
    writers (replicas) add up rather than collide."""
    if not asked:
        return
    async with sessions() as session, session.begin():
        dialect = session.bind.dialect.name if session.bind is not None else ""
        upsert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = upsert(UnansweredQuestion)
        statement = statement.on_conflict_do_update(
            index_elements=[UnansweredQuestion.key],
            set_={
                "count": UnansweredQuestion.count + statement.excluded.count,
                "text": statement.excluded.text,
                "last_asked": statement.excluded.last_asked,
                "language": statement.excluded.language,
            },
        )
        await session.execute(
            statement,
            [
                {
                    "key": key,
                    "text": one.text,
                    "count": one.count,
                    "first_asked": one.first_asked,
                    "last_asked": one.last_asked,
                    "language": one.language,
                }
                for key, one in asked.items()
            ],
        )


async def record_unanswered(
    sessions: async_sessionmaker[AsyncSession], question: str, now: dt.datetime, language: str | None = None
) -> None:
    """Count one more asking of `question` (by its normalised form) now; empty questions are not logged."""
    asking = _asking(question, now, language)
    if asking is not None:
        await _write(sessions, dict([asking]))


class UnansweredLog:
    """The bot's writer of the log: a decline only counts in memory (no database on the update's
    path); the counts are written together, in one transaction, `interval` seconds after the first
    waiting one or as soon as `batch` questions wait, and at `close` (a stop).

    A crash loses the askings of the last `interval` at most: a log for maintainers, not users' data.
    A write that fails is logged and its counts wait for the next, up to `batch` x 10 questions.
    """

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], *, interval: float | None = None, batch: int = 500
    ) -> None:
        self.sessions = sessions
        self.interval = WRITE_SECONDS if interval is None else interval
        self.batch = batch
        self._waiting: dict[str, _Asked] = {}
        self._full = asyncio.Event()
        self._writer: asyncio.Task[None] | None = None
        self._closing = False

    @property
    def waiting(self) -> int:
        """Distinct questions counted and not yet written."""
        return len(self._waiting)

    def record(self, question: str, now: dt.datetime, language: str | None = None) -> None:
        """Count one more asking of `question`; written later (an event loop must be running)."""
        asking = _asking(question, now, language)
        if asking is None:
            return
        key, one = asking
        known = self._waiting.get(key)
        if known is None:
            if len(self._waiting) >= self.batch * 10:
                return  # the database has been failing for long: the oldest counts are kept
            self._waiting[key] = one
        else:
            known.count += 1
            known.text, known.last_asked, known.language = one.text, one.last_asked, one.language
        if len(self._waiting) >= self.batch:
            self._full.set()
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_soon(), name="unanswered-log")

    async def flush(self) -> None:
        """Write what is waiting now (raises what the database raised; the counts then wait)."""
        taken, self._waiting = self._waiting, {}
        try:
            await _write(self.sessions, taken)
        except BaseException:
            for key, one in taken.items():  # put back, under what came meanwhile
                later = self._waiting.get(key)
                if later is not None:
                    one.count += later.count
                    one.text, one.last_asked, one.language = later.text, later.last_asked, later.language
                self._waiting[key] = one
            raise

    async def close(self) -> None:
        """At a stop: write what is waiting, now."""
        self._closing = True
        self._full.set()
        try:
            if self._writer is not None:
                await asyncio.shield(self._writer)
            if self._waiting:
                await self.flush()
        finally:
            self._closing = False

    async def _write_soon(self) -> None:
        if not self._closing:
            self._full.clear()
            try:
                await asyncio.wait_for(self._full.wait(), self.interval)
            except TimeoutError:
                pass
        try:
            await self.flush()
        except STORE_FAULTS as exc:
            log.warning("unanswered questions not logged yet (%d wait): %s", len(self._waiting), one_line(exc))


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
