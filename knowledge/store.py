"""Reading the store into an immutable in-memory `Knowledge` snapshot.

The matcher and the composer work only on a snapshot, so answering a question never touches the
database. When several packs are loaded, a later pack (by as-of date) supersedes an earlier one's
fact, entity or intent of the same id.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from knowledge.db import as_utc
from knowledge.models import Entity, Fact, Intent, LexiconTerm, PackRecord, Source
from knowledge.pack import slot_kind
from knowledge.presentation import Presentation


@dataclass(frozen=True)
class SourceInfo:
    key: str
    title: str
    publisher: str
    url: str
    as_of: dt.date


@dataclass(frozen=True)
class QuoteInfo:
    source: SourceInfo
    text: str


@dataclass(frozen=True)
class FactInfo:
    key: str
    statement: str
    as_of: dt.date
    entities: tuple[str, ...]
    quotes: tuple[QuoteInfo, ...]
    added_at: dt.datetime
    relations: dict[str, str] = field(default_factory=dict)
    """Who said it (`speaker`) and to whom (`addressee`), for statements."""
    dated: bool = False
    """About something that changes: replies say "as of" its date."""
    supersedes: str | None = None


@dataclass(frozen=True)
class EntityInfo:
    key: str
    kind: str
    name: str
    side: str | None
    aliases: tuple[str, ...]
    attributes: dict[str, Any] = field(default_factory=dict)
    """Typed person attributes (role, delegation, attending, profile): see `knowledge.pack.ENTITY_ATTRIBUTES`."""


@dataclass(frozen=True)
class IntentInfo:
    key: str
    phrasings: tuple[str, ...]
    answers: dict[str | None, str]
    suggest: str | None
    requires: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()

    @property
    def slot(self) -> str | None:
        return slot_kind(self.phrasings)


@dataclass(frozen=True)
class Knowledge:
    facts: dict[str, FactInfo]
    entities: dict[str, EntityInfo]
    intents: dict[str, IntentInfo]
    stopwords: frozenset[str] = frozenset()
    synonyms: dict[str, str] = field(default_factory=dict)
    """Variant (as written in the lexicon) -> canonical word."""
    sources: tuple[SourceInfo, ...] = ()
    as_of: dt.date | None = None
    packs: tuple[str, ...] = ()
    title: str = ""
    """The newest pack's title: what the bot says it knows about."""
    presentation: Presentation = field(default_factory=Presentation)
    stamp: tuple[tuple[str, str], ...] = ()
    """(pack id, fingerprint) of every pack read: a different stamp in the database means a new version."""


async def read_knowledge(sessions: async_sessionmaker[AsyncSession]) -> Knowledge:
    """Everything the matcher and composer need, in one read."""
    async with sessions() as session:
        packs = list(await session.scalars(select(PackRecord).order_by(PackRecord.as_of, PackRecord.id)))
        order = {pack.id: index for index, pack in enumerate(packs)}

        def by_pack(rows: list) -> list:  # type: ignore[type-arg]
            return sorted(rows, key=lambda row: order.get(row.pack_id, 0))

        sources = by_pack(list(await session.scalars(select(Source))))
        source_info = {row.id: SourceInfo(row.key, row.title, row.publisher, row.url, row.as_of) for row in sources}
        facts: dict[str, FactInfo] = {}
        fact_rows = await session.scalars(select(Fact).options(selectinload(Fact.quotes)))
        for row in by_pack(list(fact_rows)):
            facts[row.key] = FactInfo(
                key=row.key, statement=row.statement, as_of=row.as_of, entities=tuple(row.entity_keys),
                quotes=tuple(QuoteInfo(source_info[q.source_id], q.text) for q in row.quotes),
                added_at=as_utc(row.added_at), relations=dict(row.relations or {}),
                dated=bool(row.dated), supersedes=row.supersedes,
            )
        entities: dict[str, EntityInfo] = {}
        for row in by_pack(list(await session.scalars(select(Entity).options(selectinload(Entity.aliases))))):
            entities[row.key] = EntityInfo(row.key, row.kind, row.name, row.side_key,
                                           tuple(alias.text for alias in row.aliases), dict(row.attributes or {}))
        intents: dict[str, IntentInfo] = {}
        intent_rows = await session.scalars(
            select(Intent).options(selectinload(Intent.phrasings), selectinload(Intent.answers)))
        for row in by_pack(list(intent_rows)):
            intents[row.key] = IntentInfo(
                key=row.key, phrasings=tuple(p.text for p in row.phrasings),
                answers={a.slot_value: a.fact_key for a in row.answers}, suggest=row.suggest,
                requires=tuple(row.required_words or ()), excludes=tuple(row.excluded_words or ()),
            )
        stopwords: set[str] = set()
        synonyms: dict[str, str] = {}
        for term in by_pack(list(await session.scalars(select(LexiconTerm).order_by(LexiconTerm.id)))):
            if term.canonical is None:
                stopwords.add(term.term)
            else:
                synonyms[term.term] = term.canonical
    return Knowledge(
        facts=facts, entities=entities, intents=intents, stopwords=frozenset(stopwords), synonyms=synonyms,
        sources=tuple(source_info.values()), as_of=max((p.as_of for p in packs), default=None),
        packs=tuple(p.id for p in packs), title=packs[-1].title if packs else "",
        presentation=functools.reduce(lambda shown, p: Presentation.from_json(p.presentation).over(shown),
                                      packs, Presentation()),
        stamp=tuple(sorted((p.id, p.fingerprint) for p in packs)),
    )


