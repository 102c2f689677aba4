"""The update inbox: updates are written here before Telegram is told they arrived.

Telegram forgets an update once a later getUpdates names a higher offset. Keeping each update
first means a crash at any moment loses nothing: on restart the unhandled ones are worked off
from here, and only those that were being handled at the crash can be answered twice.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from knowledge.models import ReceivedUpdate

KEEP_HANDLED = dt.timedelta(minutes=10)
"""How long a handled update's id stays after newer ones came: an update delivered again meanwhile (a
load balancer retrying on another replica, Telegram after a lost 200) is recognised, not answered twice."""


class Inbox:
    """One bot's received updates (several bots may share a database, keyed by bot id)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], bot_id: int) -> None:
        self.sessions = sessions
        self.bot_id = bot_id

    async def next_update_id(self) -> int:
        """The first update id not yet kept (0 when none was): polling goes on from there."""
        async with self.sessions() as session:
            newest = await session.scalar(select(func.max(ReceivedUpdate.update_id))
                                          .where(ReceivedUpdate.bot_id == self.bot_id))
        return 0 if newest is None else int(newest) + 1

    async def keep(self, updates: list[dict[str, Any]], now: dt.datetime) -> list[dict[str, Any]]:
        """Store the updates not kept yet and return them; handled rows but the newest are pruned once
        KEEP_HANDLED has passed since they were received."""
        if not updates:
            return []
        try:
            return await self._keep(updates, now)
        except IntegrityError:  # another process kept some of them first: those are not ours
            return await self._keep(updates, now)

    async def _keep(self, updates: list[dict[str, Any]], now: dt.datetime) -> list[dict[str, Any]]:
        ids = [int(raw["update_id"]) for raw in updates]
        async with self.sessions() as session, session.begin():
            known = set(await session.scalars(select(ReceivedUpdate.update_id).where(
                ReceivedUpdate.bot_id == self.bot_id, ReceivedUpdate.update_id.in_(ids))))
            fresh = [raw for raw in updates if int(raw["update_id"]) not in known]
            session.add_all(ReceivedUpdate(bot_id=self.bot_id, update_id=int(raw["update_id"]),
                                           payload=json.dumps(raw), received_at=now, handled=False)
                            for raw in fresh)
            await session.flush()
            await session.execute(delete(ReceivedUpdate).where(
                ReceivedUpdate.bot_id == self.bot_id, ReceivedUpdate.handled.is_(True),
                ReceivedUpdate.update_id < max(ids), ReceivedUpdate.received_at < now - KEEP_HANDLED))
        return fresh

    async def mark_handled(self, update_id: int) -> None:
        async with self.sessions() as session, session.begin():
            await session.execute(update(ReceivedUpdate).where(
                ReceivedUpdate.bot_id == self.bot_id, ReceivedUpdate.update_id == update_id)
                .values(handled=True, payload=""))  # what users wrote is kept no longer than needed

    async def unhandled(self) -> list[dict[str, Any]]:
        """Kept but not handled (a crash or a stop came first), oldest first."""
        async with self.sessions() as session:
            rows = await session.scalars(select(ReceivedUpdate.payload).where(
                ReceivedUpdate.bot_id == self.bot_id, ReceivedUpdate.handled.is_(False))
                .order_by(ReceivedUpdate.update_id))
            return [json.loads(payload) for payload in rows]
