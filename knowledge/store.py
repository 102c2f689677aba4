"""Reading the store into an immutable in-memory `Knowledge` snapshot.

The matcher and the composer work only on a snapshot, so answering a question never touches the
database. When several packs are loaded, a later pack (by as-of date) supersedes an earlier one's
fact, entity or intent of the same id.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from dataclasses import dataclass, field
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Row, Text, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from knowledge.db import as_utc
from knowledge.gcpause import collector_paused
from knowledge.models import (
    Alias,
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
    statements: dict[str, str] = field(default_factory=dict)
    """The statement in other languages: language -> text."""

    def statement_in(self, language: str | None) -> str:
        """The statement in `language`, or the pack's own when it has no such translation."""
        return self.statements.get(language or "", self.statement)

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
    names: dict[str, str] = field(default_factory=dict)

    def name_in(self, language: str | None) -> str:
        return self.names.get(language or "", self.name)

    def form_in(self, language: str | None, case: str = "") -> str:
        """The name in `language` in a grammatical case (`gen`, `ins`, ...: the pack's `forms_uk:`),
        the plain name for no case or one the pack does not give (`talksbot check` flags those)."""
        return self.forms.get(language or "", {}).get(case) or self.name_in(language)

    forms: dict[str, dict[str, str]] = field(default_factory=dict)
    """Language -> grammatical case -> the name in that case."""

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
    suggestions: dict[str, str] = field(default_factory=dict)
    """`suggest` in other languages: language -> label, whose slot may name a case ("{side:gen}")."""

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
    out_of_scope: frozenset[str] = frozenset()
    """Words asking what no fact covers (age, family, pay), in any language."""
    fingerprint: str = ""
    """A digest of the loaded packs' fingerprints: the same packs give the same knowledge (keys persisted indexes)."""
    title: str = ""
    """The newest pack's title: what the bot says it knows about."""
    presentation: Presentation = field(default_factory=Presentation)
    stamp: tuple[tuple[str, str], ...] = ()
    """(pack id, fingerprint) of every pack read: a different stamp in the database means a new version."""


async def read_knowledge(sessions: async_sessionmaker[AsyncSession]) -> Knowledge:
    """Everything the matcher and composer need, in one read.

    Core selects of plain columns, not ORM objects: at 100,000 intents that is several times
    faster and lighter (no identity map, no per-row instrumentation). Rows come in id order, as
    they were loaded, which the pack order (first intents first) relies on.
    """
    with collector_paused():
        return await _read_knowledge(sessions)


async def _read_knowledge(sessions: async_sessionmaker[AsyncSession]) -> Knowledge:
    async with sessions() as session:
        connection = await session.connection()  # Core rows: no ORM loading layer per row
        packs = (
            await connection.execute(
                select(
                    PackRecord.id, PackRecord.as_of, PackRecord.fingerprint, PackRecord.title, PackRecord.presentation
                ).order_by(PackRecord.as_of, PackRecord.id)
            )
        ).all()
        order = {pack.id: index for index, pack in enumerate(packs)}

        async def rows(*columns: Any, order_by: Any) -> list[Row[Any]]:
            """All rows; those of a pack (a `pack_id` column) later packs last, so a later pack supersedes."""
            found = list((await connection.execute(select(*columns).order_by(*order_by))).all())
            if len(order) > 1 and any(column.key == "pack_id" for column in columns):
                found.sort(key=lambda row: order.get(row.pack_id, 0))  # stable: id order within a pack
            return found

        source_info = {
            row.id: SourceInfo(row.key, row.title, row.publisher, row.url, row.as_of)
            for row in await rows(
                Source.id,
                Source.pack_id,
                Source.key,
                Source.title,
                Source.publisher,
                Source.url,
                Source.as_of,
                order_by=[Source.id],
            )
        }
        quotes: dict[int, list[QuoteInfo]] = {}
        for row in await rows(Quote.fact_id, Quote.source_id, Quote.text, order_by=[Quote.fact_id, Quote.position]):
            quotes.setdefault(row.fact_id, []).append(QuoteInfo(source_info[row.source_id], row.text))
        facts: dict[str, FactInfo] = {}
        for row in await rows(
            Fact.id,
            Fact.pack_id,
            Fact.key,
            Fact.statement,
            Fact.statements,
            Fact.as_of,
            Fact.entity_keys,
            Fact.added_at,
            Fact.relations,
            Fact.dated,
            Fact.supersedes,
            order_by=[Fact.id],
        ):
            facts[row.key] = FactInfo(
                key=row.key,
                statement=row.statement,
                as_of=row.as_of,
                entities=tuple(row.entity_keys),
                quotes=tuple(quotes.get(row.id, ())),
                added_at=as_utc(row.added_at),
                relations=dict(row.relations or {}),
                dated=bool(row.dated),
                supersedes=row.supersedes,
                statements=dict(row.statements or {}),
            )
        aliases = _grouped(await rows(Alias.entity_id, Alias.text, order_by=[Alias.id]))
        entities: dict[str, EntityInfo] = {}
        for row in await rows(
            Entity.id,
            Entity.pack_id,
            Entity.key,
            Entity.kind,
            Entity.name,
            Entity.side_key,
            Entity.attributes,
            Entity.names,
            Entity.forms,
            order_by=[Entity.id],
        ):
            entities[row.key] = EntityInfo(
                row.key,
                row.kind,
                row.name,
                row.side_key,
                tuple(aliases.get(row.id, ())),
                names=dict(row.names or {}),
                forms={lang: dict(forms) for lang, forms in (row.forms or {}).items()},
                attributes=dict(row.attributes or {}),
            )
        phrasings = _grouped(
            await rows(Phrasing.intent_id, Phrasing.text, order_by=[Phrasing.intent_id, Phrasing.position])
        )
        answers: dict[int, dict[str | None, str]] = {}
        for row in await rows(
            IntentAnswer.intent_id, IntentAnswer.slot_value, IntentAnswer.fact_key, order_by=[IntentAnswer.id]
        ):
            answers.setdefault(row.intent_id, {})[row.slot_value] = row.fact_key
        intents: dict[str, IntentInfo] = {}
        for row in await rows(
            Intent.id,
            Intent.pack_id,
            Intent.key,
            Intent.suggest,
            type_coerce(Intent.required_words, Text).label("requires"),
            type_coerce(Intent.excluded_words, Text).label("excludes"),
            type_coerce(Intent.suggestions, Text).label("suggestions"),
            order_by=[Intent.id],
        ):
            intents[row.key] = IntentInfo(
                key=row.key,
                phrasings=tuple(phrasings.get(row.id, ())),
                answers=answers.get(row.id, {}),
                suggest=row.suggest,
                requires=_words(row.requires),
                excludes=_words(row.excludes),
                suggestions=_labels(row.suggestions),
            )
        stopwords: set[str] = set()
        synonyms: dict[str, str] = {}
        out_of_scope: set[str] = set()
        for term in await rows(
            LexiconTerm.pack_id, LexiconTerm.term, LexiconTerm.canonical, LexiconTerm.role, order_by=[LexiconTerm.id]
        ):
            if term.role == "out_of_scope":
                out_of_scope.add(term.term)
            elif term.canonical is None:
                stopwords.add(term.term)
            else:
                synonyms[term.term] = term.canonical
    return Knowledge(
        facts=facts,
        entities=entities,
        intents=intents,
        stopwords=frozenset(stopwords),
        synonyms=synonyms,
        sources=tuple(source_info.values()),
        as_of=max((p.as_of for p in packs), default=None),
        packs=tuple(p.id for p in packs),
        out_of_scope=frozenset(out_of_scope),
        fingerprint=hashlib.sha256(repr([(p.id, p.fingerprint) for p in packs]).encode()).hexdigest() if packs else "",
        title=packs[-1].title if packs else "",
        presentation=functools.reduce(
            lambda shown, p: Presentation.from_json(p.presentation).over(shown), packs, Presentation()
        ),
        stamp=tuple(sorted((p.id, p.fingerprint) for p in packs)),
    )


def _words(raw: str | list[str] | None) -> tuple[str, ...]:
    """A JSON list of words as stored; nearly every intent has none, which needs no JSON parsing.
    SQLite hands back the text, asyncpg's JSON codec the list itself."""
    if not raw or raw == "[]":
        return ()
    return tuple(raw) if isinstance(raw, list) else tuple(json.loads(raw) or ())


def _grouped(rows: Iterable[Sequence[Any]]) -> dict[int, list[str]]:
    """(owner id, text) rows as owner id -> texts, in row order."""
    out: dict[int, list[str]] = {}
    for owner, text in rows:
        out.setdefault(owner, []).append(text)
    return out


def _labels(raw: str | dict[str, str] | None) -> dict[str, str]:
    """A JSON object of labels per language as stored; most intents of a large pack have none."""
    if not raw or raw == "{}":
        return {}
    return dict(raw) if isinstance(raw, dict) else dict(json.loads(raw) or {})
