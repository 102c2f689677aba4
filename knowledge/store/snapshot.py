"""Reading the store into an immutable in-memory `Knowledge` snapshot, rows straight into the engine's records.

The matcher and the composer work only on a snapshot, so answering a question never touches the
database. When several packs are loaded, a later pack (by as-of date) supersedes an earlier one's
fact, entity or intent of the same id.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Row, Text, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from knowledge.store.db import as_utc
from knowledge.gcpause import collector_paused
from knowledge.store.tables import (
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
from knowledge.presentation import Presentation
from knowledge import records
from knowledge.assemble import PackHeading, knowledge_of
from knowledge.records import Knowledge


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
                    PackRecord.id,
                    PackRecord.as_of,
                    PackRecord.fingerprint,
                    PackRecord.title,
                    PackRecord.presentation,
                    PackRecord.loaded_at,
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
            row.id: records.Source(row.key, row.title, row.publisher, row.url, row.as_of, row.language)
            for row in await rows(
                Source.id,
                Source.pack_id,
                Source.key,
                Source.title,
                Source.publisher,
                Source.url,
                Source.as_of,
                Source.language,
                order_by=[Source.id],
            )
        }
        quotes: dict[int, list[records.Quote]] = {}
        for row in await rows(Quote.fact_id, Quote.source_id, Quote.text, order_by=[Quote.fact_id, Quote.position]):
            quotes.setdefault(row.fact_id, []).append(records.Quote(source_info[row.source_id], row.text))
        facts: dict[str, records.Fact] = {}
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
            facts[row.key] = records.Fact(
                id=row.key,
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
        entities: dict[str, records.Entity] = {}
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
            entities[row.key] = records.Entity(
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
        intents: dict[str, records.Intent] = {}
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
            intents[row.key] = records.Intent(
                id=row.key,
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
    knowledge = knowledge_of(
        [PackHeading(p.id, p.as_of, p.fingerprint, p.title, Presentation.from_json(p.presentation)) for p in packs],
        facts=facts,
        entities=entities,
        intents=intents,
        stopwords=frozenset(stopwords),
        synonyms=synonyms,
        sources=tuple(source_info.values()),
        out_of_scope=frozenset(out_of_scope),
    )
    return dataclasses.replace(
        knowledge, rows_version=_rows_version([(p.id, p.fingerprint, p.loaded_at) for p in packs])
    )


async def knowledge_rows_version(sessions: async_sessionmaker[AsyncSession]) -> str:
    """`Knowledge.rows_version` of what `read_knowledge` would read now, from the packs table alone."""
    async with sessions() as session:
        rows = await session.execute(select(PackRecord.id, PackRecord.fingerprint, PackRecord.loaded_at))
        return _rows_version([(pid, fingerprint, loaded_at) for pid, fingerprint, loaded_at in rows])


def _rows_version(packs: list[tuple[str, str, dt.datetime]]) -> str:
    if not packs:
        return ""
    stamped = sorted((pid, fingerprint, as_utc(loaded_at).isoformat()) for pid, fingerprint, loaded_at in packs)
    return hashlib.sha256(repr(stamped).encode()).hexdigest()


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
