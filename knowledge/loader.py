"""Loading a checked pack into the store, all or nothing.

Loading the same pack twice changes nothing (same fingerprint: no write at all). Loading a newer
version of a pack updates it in one transaction; facts keep their `added_at` across reloads so
"what's new" can be told, and facts that disappeared from the pack are removed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from knowledge.db import LOAD_LOCK, take_turns
from knowledge.models import (
    Alias, Entity, Fact, Intent, IntentAnswer, LexiconTerm, PackRecord, Phrasing, Quote, Source,
)
from knowledge.pack import Pack, PackError, read_pack
from knowledge.validate import check_pack, locate_quote


@dataclass(frozen=True)
class LoadResult:
    pack_id: str
    changed: bool
    facts_added: int = 0
    facts_updated: int = 0
    facts_removed: int = 0

    def describe(self) -> str:
        if not self.changed:
            return f"pack {self.pack_id} is already loaded and unchanged"
        return (f"loaded pack {self.pack_id}: {self.facts_added} facts added, "
                f"{self.facts_updated} updated, {self.facts_removed} removed")


def read_checked_pack(directory: object) -> Pack:
    """Read and check a pack; raises PackError if anything is wrong."""
    pack = read_pack(directory)  # type: ignore[arg-type]
    report = check_pack(pack)
    if not report.ok:
        raise PackError(report.problems)
    return pack


async def has_any_pack(sessions: async_sessionmaker[AsyncSession]) -> bool:
    async with sessions() as session:
        return bool(await session.scalar(select(func.count()).select_from(PackRecord)))


async def load_pack(sessions: async_sessionmaker[AsyncSession], pack: Pack,
                    now: dt.datetime | None = None) -> LoadResult:
    """Write `pack` (already checked) into the store in one transaction."""
    now = now or dt.datetime.now(dt.timezone.utc)
    async with sessions() as session, session.begin():
        await (await session.connection()).run_sync(take_turns, LOAD_LOCK)
        record = await session.get(PackRecord, pack.id)
        if record is not None and record.fingerprint == pack.fingerprint:
            return LoadResult(pack.id, changed=False)
        if record is None:
            record = PackRecord(id=pack.id)
            session.add(record)
        record.title, record.language, record.as_of = pack.title, pack.language, pack.as_of
        record.description, record.short_description = pack.description, pack.short_description
        record.fingerprint, record.loaded_at = pack.fingerprint, now
        await session.flush()

        # Everything but facts is replaced wholesale; facts are synced to keep their history.
        intents_of_pack = select(Intent.id).where(Intent.pack_id == pack.id)
        await session.execute(delete(IntentAnswer).where(IntentAnswer.intent_id.in_(intents_of_pack)))
        await session.execute(delete(Phrasing).where(Phrasing.intent_id.in_(intents_of_pack)))
        await session.execute(delete(Quote).where(Quote.fact_id.in_(select(Fact.id).where(Fact.pack_id == pack.id))))
        await session.execute(delete(Alias).where(Alias.entity_id.in_(select(Entity.id).where(Entity.pack_id == pack.id))))
        for model in (Intent, Entity, Source, LexiconTerm):
            await session.execute(delete(model).where(model.pack_id == pack.id))

        sources = {s.id: Source(pack_id=pack.id, key=s.id, title=s.title, publisher=s.publisher, url=s.url,
                                as_of=s.as_of, language=s.language, text=s.text)
                   for s in pack.sources}
        session.add_all(sources.values())
        for entity_spec in pack.entities:
            entity = Entity(pack_id=pack.id, key=entity_spec.id, kind=entity_spec.kind, name=entity_spec.name,
                            side_key=entity_spec.side, attributes=dict(entity_spec.attributes))
            entity.aliases = [Alias(text=alias) for alias in dict.fromkeys((entity_spec.name, *entity_spec.aliases))]
            session.add(entity)
        result = await _sync_facts(session, pack, sources, now)
        for spec in pack.intents:
            intent = Intent(pack_id=pack.id, key=spec.id, suggest=spec.suggest, required_words=list(spec.requires),
                            excluded_words=list(spec.excludes))
            intent.phrasings = [Phrasing(position=i, text=text) for i, text in enumerate(spec.phrasings)]
            intent.answers = [IntentAnswer(slot_value=value, fact_key=fact) for value, fact in spec.answers.items()]
            session.add(intent)
        session.add_all(LexiconTerm(pack_id=pack.id, term=word, canonical=None) for word in pack.lexicon.stopwords)
        session.add_all(LexiconTerm(pack_id=pack.id, term=variant, canonical=canonical)
                        for canonical, variants in pack.lexicon.synonyms.items() for variant in variants)
    return result


async def _sync_facts(session: AsyncSession, pack: Pack, sources: dict[str, Source],
                      now: dt.datetime) -> LoadResult:
    await session.flush()
    existing = {fact.key: fact for fact in await session.scalars(select(Fact).where(Fact.pack_id == pack.id))}
    added = updated = 0
    for spec in pack.facts:
        fact = existing.pop(spec.id, None)
        if fact is None:
            fact = Fact(pack_id=pack.id, key=spec.id, added_at=now)
            session.add(fact)
            added += 1
        elif ((fact.statement, fact.as_of, fact.entity_keys, fact.relations)
              != (spec.statement, spec.as_of, list(spec.entities), dict(spec.relations))):
            updated += 1
        if fact.statement != spec.statement or fact.as_of != spec.as_of:
            fact.updated_at = now
        fact.statement, fact.as_of, fact.entity_keys = spec.statement, spec.as_of, list(spec.entities)
        fact.relations = dict(spec.relations)
        await session.flush()
        for position, quote in enumerate(spec.quotes):
            source = sources[quote.source]
            start, end = locate_quote(source.text, quote.text) or (0, 0)
            session.add(Quote(fact_id=fact.id, source_id=source.id, position=position, start=start,
                              text=source.text[start:end]))
    for stale in existing.values():
        await session.delete(stale)
    return LoadResult(pack.id, changed=True, facts_added=added, facts_updated=updated, facts_removed=len(existing))
