"""Opening the store ready to answer: schema migrated, a pack present, knowledge read into memory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from knowledge.answer import Answerer
from knowledge.store.db import create_engine, migrate, safe_url, session_factory
from knowledge.store.errors import StoreError
from knowledge.gcpause import collector_paused
from knowledge.index_cache import cached_matcher, load_knowledge, save_knowledge
from knowledge.store.loader import LoadResult, has_any_pack, load_pack, read_checked_pack
from knowledge.store.registry import list_packs
from knowledge.pack import bundled_pack_dir, read_pack
from knowledge.records import Knowledge
from knowledge.store.snapshot import knowledge_rows_version, read_knowledge


@dataclass
class Store:
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    index_dir: Path | None = None
    """Where built matcher indexes are persisted (inside the data directory); None: always build."""
    cache_dir: Path | None = None
    """Where answerers keep the encoded targets for Ukrainian and Russian questions."""

    @classmethod
    async def open(cls, url: str, index_dir: Path | None = None, cache_dir: Path | None = None) -> Store:
        """Connect and bring the schema up to date; raises StoreError with a one-line reason."""
        engine = create_engine(url)
        try:
            await migrate(engine)
        except BaseException:
            await engine.dispose()
            raise
        return cls(engine, session_factory(engine), index_dir, cache_dir)

    async def close(self) -> None:
        await self.engine.dispose()

    async def load(self, pack_dir: Path | None = None) -> LoadResult:
        pack = read_checked_pack(pack_dir or bundled_pack_dir())
        try:
            with collector_paused():
                return await load_pack(self.sessions, pack)
        except SQLAlchemyError as exc:
            raise StoreError(
                f"cannot write to database {safe_url(str(self.engine.url))}: "
                f"{str(getattr(exc, 'orig', exc)).splitlines()[0]}"
            ) from None

    async def ensure_pack(self) -> LoadResult | None:
        """Load the bundled pack when the database holds none yet, so a fresh database just works."""
        if await has_any_pack(self.sessions):
            return None
        return await self.load()

    async def bundled_pack_outdated(self) -> bool:
        """Whether the database holds the bundled pack as it was before its files changed on disk: answers
        come from the loaded version until `talksbot load` (a maintainer's edit is otherwise not measured)."""
        directory = bundled_pack_dir()
        pack = read_pack(directory)
        return any(e.id == pack.id and e.fingerprint != pack.fingerprint for e in await list_packs(self.sessions))

    async def knowledge(self) -> Knowledge:
        return await read_knowledge(self.sessions)

    async def answerer(self) -> Answerer:
        await self.ensure_pack()
        return await self.fresh_answerer()

    async def fresh_answerer(self) -> Answerer:
        """An answerer for what the store holds now, its index read back if it was built before."""
        knowledge = await self._known_knowledge()
        return Answerer(knowledge, matcher=cached_matcher(knowledge, self.index_dir), cache_dir=self.cache_dir)

    async def _known_knowledge(self) -> Knowledge:
        """The knowledge as persisted beside the index when the packs' rows are unchanged since
        (one query to tell), else read from the store and persisted for the next start."""
        if self.index_dir is None:
            return await self.knowledge()
        kept = load_knowledge(self.index_dir, await knowledge_rows_version(self.sessions))
        if kept is not None:
            return kept
        knowledge = await self.knowledge()
        save_knowledge(knowledge, self.index_dir)
        return knowledge
