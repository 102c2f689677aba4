"""The briefing delivery ledger: exactly one briefing per (chat, local date).

A sender first *claims* the day (an insert guarded by a unique constraint), sends, then marks the
row *sent*. A claim whose sender died before marking it is taken over after `CLAIM_TIMEOUT` by a
compare-and-swap update, so only one sender ever wins it. Works the same on SQLite and on a
PostgreSQL database shared by several bot processes.

The one window no ledger can close: a process that dies after Telegram accepted the message but
before `mark_sent` leaves a claim that is retried after the timeout.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from knowledge.store.db import as_utc
from knowledge.store.tables import BriefingDelivery

CLAIM_TIMEOUT = dt.timedelta(minutes=5)


class Ledger:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], claim_timeout: dt.timedelta = CLAIM_TIMEOUT) -> None:
        self.sessions = sessions
        self.claim_timeout = claim_timeout

    async def claim(self, chat_id: int, local_date: dt.date, now: dt.datetime) -> bool:
        """True if this caller may send the (chat, date) briefing now; False if sent or being sent."""
        try:
            async with self.sessions() as session, session.begin():
                session.add(
                    BriefingDelivery(
                        chat_id=chat_id, local_date=local_date, status="claimed", claimed_at=now, attempts=1
                    )
                )
            return True
        except IntegrityError:
            pass
        async with self.sessions() as session, session.begin():
            row = await session.scalar(
                select(BriefingDelivery).where(
                    BriefingDelivery.chat_id == chat_id, BriefingDelivery.local_date == local_date
                )
            )
            if row is None or row.status != "claimed" or as_utc(row.claimed_at) > now - self.claim_timeout:
                return False
            taken = await session.execute(
                update(BriefingDelivery)
                .where(
                    BriefingDelivery.id == row.id,
                    BriefingDelivery.status == "claimed",
                    BriefingDelivery.claimed_at == row.claimed_at,
                )
                .values(claimed_at=now, attempts=BriefingDelivery.attempts + 1)
            )
            return getattr(taken, "rowcount", 0) == 1

    async def mark_sent(self, chat_id: int, local_date: dt.date, now: dt.datetime) -> None:
        await self._set_status(chat_id, local_date, "sent", now)

    async def mark_dropped(self, chat_id: int, local_date: dt.date, now: dt.datetime) -> None:
        """The chat cannot receive briefings any more (bot removed or blocked): never retry."""
        await self._set_status(chat_id, local_date, "dropped", now)

    async def _set_status(self, chat_id: int, local_date: dt.date, status: str, now: dt.datetime) -> None:
        async with self.sessions() as session, session.begin():
            await session.execute(
                update(BriefingDelivery)
                .where(BriefingDelivery.chat_id == chat_id, BriefingDelivery.local_date == local_date)
                .values(status=status, sent_at=now)
            )

    async def status(self, chat_id: int, local_date: dt.date) -> str | None:
        async with self.sessions() as session:
            return await session.scalar(
                select(BriefingDelivery.status).where(
                    BriefingDelivery.chat_id == chat_id, BriefingDelivery.local_date == local_date
                )
            )

    async def last_sent_at(self, chat_id: int) -> dt.datetime | None:
        async with self.sessions() as session:
            found = await session.scalar(
                select(func.max(BriefingDelivery.sent_at)).where(
                    BriefingDelivery.chat_id == chat_id, BriefingDelivery.status == "sent"
                )
            )
            return as_utc(found) if found else None

    async def sent_count(self, chat_id: int) -> int:
        async with self.sessions() as session:
            return int(
                await session.scalar(
                    select(func.count())
                    .select_from(BriefingDelivery)
                    .where(BriefingDelivery.chat_id == chat_id, BriefingDelivery.status == "sent")
                )
                or 0
            )
