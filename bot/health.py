"""Readiness: can the bot answer right now? The database answers and knowledge is loaded."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import func, select

from handlers.context import BotState
from knowledge.store.db import STORE_FAULTS
from knowledge.store.tables import PackRecord

CHECK_SECONDS = 5.0


async def not_ready(state: BotState) -> str | None:
    """None when ready; otherwise a short reason (no secrets: the URL's password is never shown)."""
    if not state.answerer.knowledge.facts:
        return "no knowledge loaded"
    store = state.store
    if store is None:
        return None
    url = store.engine.url
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        # a pooled connection would still read a deleted file, so look for the file itself
        if not await asyncio.to_thread(Path(url.database).exists):
            return "database file is missing"
    try:
        async with asyncio.timeout(CHECK_SECONDS), store.sessions() as session:
            packs = await session.scalar(select(func.count()).select_from(PackRecord))
    except (*STORE_FAULTS, TimeoutError) as exc:
        return f"database unreachable ({type(exc).__name__})"
    return None if packs else "no knowledge pack in the database"
