"""Running totals kept in the database, so /stats survives restarts and adds up across replicas.

Each process adds what it counted since its last flush; nobody overwrites a total.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from knowledge.store.tables import BotCounter


async def add_counts(sessions: async_sessionmaker[AsyncSession], deltas: Mapping[str, int]) -> None:
    """Add each delta to its total, creating totals on first use (a concurrent first insert retries)."""
    for name, delta in deltas.items():
        for _ in range(2):
            async with sessions() as session, session.begin():
                changed = await session.execute(
                    update(BotCounter).where(BotCounter.name == name).values(value=BotCounter.value + delta)
                )
                if getattr(changed, "rowcount", 0):
                    break
            try:
                async with sessions() as session, session.begin():
                    session.add(BotCounter(name=name, value=delta))
                break
            except IntegrityError:
                continue


async def read_counts(sessions: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    async with sessions() as session:
        return {row.name: row.value for row in await session.scalars(select(BotCounter))}
