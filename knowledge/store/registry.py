"""Which packs the database holds: listing them, removing one, and the stamp a running bot polls.

The stamp (pack id and fingerprint of every loaded pack) changes with every load that changes
anything and every unload, so a bot comparing it with its snapshot's knows when to re-read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from knowledge.store.db import LOAD_LOCK, as_utc, take_turns
from knowledge.store.tables import Fact, PackRecord


@dataclass(frozen=True)
class PackEntry:
    id: str
    version: str | None
    fingerprint: str
    facts: int
    loaded_at: dt.datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "fingerprint": self.fingerprint,
            "facts": self.facts,
            "loaded_at": self.loaded_at.isoformat(),
        }


async def list_packs(sessions: async_sessionmaker[AsyncSession]) -> list[PackEntry]:
    async with sessions() as session:
        counts = select(Fact.pack_id, func.count().label("facts")).group_by(Fact.pack_id).subquery()
        rows = await session.execute(
            select(
                PackRecord.id,
                PackRecord.version,
                PackRecord.fingerprint,
                func.coalesce(counts.c.facts, 0),
                PackRecord.loaded_at,
            )
            .outerjoin(counts, counts.c.pack_id == PackRecord.id)
            .order_by(PackRecord.id)
        )
        return [PackEntry(pid, version, fp, int(n), as_utc(at)) for pid, version, fp, n, at in rows]


async def unload_pack(sessions: async_sessionmaker[AsyncSession], pack_id: str) -> bool:
    """Remove a pack and everything it brought (the schema cascades); False if it was not loaded."""
    async with sessions() as session, session.begin():
        await (await session.connection()).run_sync(take_turns, LOAD_LOCK)
        result = await session.execute(delete(PackRecord).where(PackRecord.id == pack_id))
        return bool(getattr(result, "rowcount", 0))


async def pack_stamp(sessions: async_sessionmaker[AsyncSession]) -> tuple[tuple[str, str], ...]:
    """(id, fingerprint) of every loaded pack, sorted: what `Knowledge.stamp` was read from."""
    async with sessions() as session:
        rows = await session.execute(select(PackRecord.id, PackRecord.fingerprint))
        return tuple(sorted((pid, fp) for pid, fp in rows))
