"""Loading a checked pack into the store, all or nothing.

Loading the same pack twice changes nothing (same fingerprint: no write at all). Loading a newer
version of a pack updates it in one transaction; facts keep their `added_at` across reloads so
"what's new" can be told, and facts that disappeared from the pack are removed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from knowledge.store.db import LOAD_LOCK, take_turns
from knowledge.gcpause import collector_paused
from knowledge.store.tables import (
    Alias,
    Base,
    Entity,
    Fact,
    Intent,
    IntentAnswer,
    LexiconTerm,
    PackRecord,
    Phrasing,
    Quote,
    Source,
)
from knowledge.pack import Pack, PackError, read_pack
from knowledge.validate import check_pack, locate_in_source, source_part


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
        return (
            f"loaded pack {self.pack_id}: {self.facts_added} facts added, "
            f"{self.facts_updated} updated, {self.facts_removed} removed"
        )


def read_checked_pack(directory: object) -> Pack:
    """Read and check a pack; raises PackError if anything is wrong."""
    with collector_paused():
        pack = read_pack(directory)  # type: ignore[arg-type]
        report = check_pack(pack)
    if not report.ok:
        raise PackError(report.problems)
    return pack


async def has_any_pack(sessions: async_sessionmaker[AsyncSession]) -> bool:
    async with sessions() as session:
        return bool(await session.scalar(select(func.count()).select_from(PackRecord)))


async def load_pack(
    sessions: async_sessionmaker[AsyncSession], pack: Pack, now: dt.datetime | None = None
) -> LoadResult:
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
        record.version, record.presentation = pack.version, pack.presentation.to_json()
        record.descriptions = {lang: dict(texts) for lang, texts in pack.descriptions.items()}
        await session.flush()

        # Everything but facts is replaced wholesale; facts are synced to keep their history.
        intents_of_pack = select(Intent.id).where(Intent.pack_id == pack.id)
        await session.execute(delete(IntentAnswer).where(IntentAnswer.intent_id.in_(intents_of_pack)))
        await session.execute(delete(Phrasing).where(Phrasing.intent_id.in_(intents_of_pack)))
        await session.execute(delete(Quote).where(Quote.fact_id.in_(select(Fact.id).where(Fact.pack_id == pack.id))))
        await session.execute(
            delete(Alias).where(Alias.entity_id.in_(select(Entity.id).where(Entity.pack_id == pack.id)))
        )
        for model in (Intent, Entity, Source, LexiconTerm):
            await session.execute(delete(model).where(model.pack_id == pack.id))

        # Bulk inserts (one executemany per table), ids read back by key: ORM objects per row made
        # loading a 100,000-intent pack take minutes and gigabytes.
        await _insert(
            session,
            Source,
            [
                {
                    "pack_id": pack.id,
                    "key": s.id,
                    "title": s.title,
                    "publisher": s.publisher,
                    "url": s.url,
                    "as_of": s.as_of,
                    "language": s.language,
                    "text": s.text,
                }
                for s in pack.sources
            ],
        )
        source_ids = await _ids(session, Source, pack.id)
        await _insert(
            session,
            Entity,
            [
                {
                    "pack_id": pack.id,
                    "key": e.id,
                    "kind": e.kind,
                    "name": e.name,
                    "side_key": e.side,
                    "attributes": dict(e.attributes),
                    "names": dict(e.names),
                    "forms": {lang: dict(forms) for lang, forms in e.forms.items()},
                }
                for e in pack.entities
            ],
        )
        entity_ids = await _ids(session, Entity, pack.id)
        await _insert(
            session,
            Alias,
            [{"entity_id": entity_ids[e.id], "text": alias} for e in pack.entities for alias in e.spellings()],
        )
        result = await _sync_facts(session, pack, source_ids, now)
        await _insert(
            session,
            Intent,
            [
                {
                    "pack_id": pack.id,
                    "key": i.id,
                    "suggest": i.suggest,
                    "suggestions": dict(i.suggestions),
                    "required_words": list(i.requires),
                    "excluded_words": list(i.excludes),
                }
                for i in pack.intents
            ],
        )
        intent_ids = await _ids(session, Intent, pack.id)
        await _insert(
            session,
            Phrasing,
            [
                {"intent_id": intent_ids[i.id], "position": position, "text": text}
                for i in pack.intents
                for position, text in enumerate(i.phrasings)
            ],
        )
        await _insert(
            session,
            IntentAnswer,
            [
                {"intent_id": intent_ids[i.id], "slot_value": value, "fact_key": fact}
                for i in pack.intents
                for value, fact in i.answers.items()
            ],
        )
        await _insert(
            session,
            LexiconTerm,
            [{"pack_id": pack.id, "term": word, "canonical": None} for word in pack.lexicon.stopwords],
        )
        await _insert(
            session,
            LexiconTerm,
            [
                {"pack_id": pack.id, "term": variant, "canonical": canonical}
                for canonical, variants in pack.lexicon.synonyms.items()
                for variant in variants
            ],
        )
        await _insert(
            session,
            LexiconTerm,
            [
                {"pack_id": pack.id, "term": word, "canonical": None, "role": "out_of_scope"}
                for word in pack.lexicon.out_of_scope
            ],
        )
    return result


async def _insert(session: AsyncSession, model: type[Base], rows: list[dict[str, Any]]) -> None:
    """All rows in one Core executemany (the ORM's bulk path costs more per row), in order, so ids
    follow the pack's order."""
    if rows:
        await session.execute(insert(model.__table__), rows)  # type: ignore[arg-type]


async def _ids(session: AsyncSession, model: Any, pack_id: str) -> dict[str, int]:
    """Key -> id of the pack's rows of `model` (sources, entities, facts, intents)."""
    return dict((await session.execute(select(model.key, model.id).where(model.pack_id == pack_id))).all())


async def _sync_facts(session: AsyncSession, pack: Pack, source_ids: dict[str, int], now: dt.datetime) -> LoadResult:
    existing = {
        row.key: row
        for row in await session.execute(
            select(
                Fact.id,
                Fact.key,
                Fact.statement,
                Fact.statements,
                Fact.as_of,
                Fact.entity_keys,
                Fact.relations,
                Fact.dated,
                Fact.supersedes,
            ).where(Fact.pack_id == pack.id)
        )
    }
    added = updated = 0
    new_rows: list[dict[str, Any]] = []
    reworded: list[dict[str, Any]] = []
    """Statement or date changed: `updated_at` moves."""
    retagged: list[dict[str, Any]] = []
    """Only the entities, relations, dating or what it supersedes changed."""
    for spec in pack.facts:
        values = {
            "statement": spec.statement,
            "statements": dict(spec.statements),
            "as_of": spec.as_of,
            "entity_keys": list(spec.entities),
            "relations": dict(spec.relations),
            "dated": spec.dated,
            "supersedes": spec.supersedes,
        }
        row = existing.pop(spec.id, None)
        if row is None:
            new_rows.append({"pack_id": pack.id, "key": spec.id, "added_at": now, "updated_at": now, **values})
            added += 1
        elif (row.statement, dict(row.statements or {}), row.as_of) != (spec.statement, spec.statements, spec.as_of):
            reworded.append({"id": row.id, "updated_at": now, **values})
            updated += 1
        elif (list(row.entity_keys), dict(row.relations or {}), bool(row.dated), row.supersedes) != (
            list(spec.entities),
            dict(spec.relations),
            spec.dated,
            spec.supersedes,
        ):
            retagged.append({"id": row.id, **values})
            updated += 1
    await _insert(session, Fact, new_rows)
    for changes in (reworded, retagged):
        if changes:
            await session.execute(update(Fact), changes)
    if existing:
        await session.execute(delete(Fact).where(Fact.id.in_([row.id for row in existing.values()])))
    fact_ids = await _ids(session, Fact, pack.id)
    sources = {s.id: s for s in pack.sources}
    quotes: list[dict[str, Any]] = []
    for spec in pack.facts:
        for position, quote in enumerate(spec.quotes):
            source = sources[quote.source.id]
            part, start, end = locate_in_source(source, quote.text) or ("body", 0, 0)
            quotes.append(
                {
                    "fact_id": fact_ids[spec.id],
                    "source_id": source_ids[quote.source.id],
                    "position": position,
                    "start": start if part == "body" else -1,  # -1: in the headline or standfirst
                    "text": source_part(source, part)[start:end],
                }
            )
    await _insert(session, Quote, quotes)
    return LoadResult(pack.id, changed=True, facts_added=added, facts_updated=updated, facts_removed=len(existing))
