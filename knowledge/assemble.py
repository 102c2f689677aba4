"""Knowledge straight from pack folders, no database: the same `Knowledge` the store reads back.

When several packs are given, a later pack (by as-of date, then id) supersedes an earlier one's
fact, entity or intent of the same id, as in the store. Quotes are cut from their sources as the
loader stores them, and every entity carries all its spellings as aliases.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from knowledge.pack import Pack
from knowledge.presentation import Presentation
from knowledge.records import Entity, Fact, Intent, Knowledge, Quote, Source
from knowledge.validate import locate_in_source, source_part


def knowledge_from_packs(packs: Iterable[Pack]) -> Knowledge:
    """The knowledge of `packs` (read and checked with `knowledge.store.loader.read_checked_pack` or
    `knowledge.pack.read_pack` plus `knowledge.validate.check_pack`)."""
    ordered = sorted(packs, key=lambda p: (p.as_of, p.id))
    facts: dict[str, Fact] = {}
    entities: dict[str, Entity] = {}
    intents: dict[str, Intent] = {}
    stopwords: set[str] = set()
    synonyms: dict[str, str] = {}
    out_of_scope: set[str] = set()
    for pack in ordered:
        for fact in pack.facts:
            facts[fact.id] = dataclasses.replace(fact, quotes=tuple(_as_stored(q) for q in fact.quotes))
        for entity in pack.entities:
            entities[entity.id] = dataclasses.replace(entity, aliases=entity.spellings())
        for intent in pack.intents:
            intents[intent.id] = intent
        stopwords.update(pack.lexicon.stopwords)
        for canonical, variants in pack.lexicon.synonyms.items():
            synonyms.update(dict.fromkeys(variants, canonical))
        out_of_scope.update(pack.lexicon.out_of_scope)
    return knowledge_of(
        [PackHeading(p.id, p.as_of, p.fingerprint, p.title, p.presentation) for p in ordered],
        facts=facts,
        entities=entities,
        intents=intents,
        stopwords=frozenset(stopwords),
        synonyms=synonyms,
        sources=tuple(source for pack in ordered for source in pack.sources),
        out_of_scope=frozenset(out_of_scope),
    )


class PackHeading(NamedTuple):
    """What `Knowledge` keeps of each pack, from a folder or the store's pack records."""

    id: str
    as_of: dt.date
    fingerprint: str
    title: str
    presentation: Presentation


def knowledge_of(
    packs: Sequence[PackHeading],
    *,
    facts: dict[str, Fact],
    entities: dict[str, Entity],
    intents: dict[str, Intent],
    stopwords: frozenset[str],
    synonyms: dict[str, str],
    sources: tuple[Source, ...],
    out_of_scope: frozenset[str],
) -> Knowledge:
    """`Knowledge` from its records and its packs (in pack order: the last is the newest)."""
    return Knowledge(
        facts=facts,
        entities=entities,
        intents=intents,
        stopwords=stopwords,
        synonyms=synonyms,
        sources=sources,
        as_of=max((p.as_of for p in packs), default=None),
        packs=tuple(p.id for p in packs),
        out_of_scope=out_of_scope,
        fingerprint=hashlib.sha256(repr([(p.id, p.fingerprint) for p in packs]).encode()).hexdigest() if packs else "",
        title=packs[-1].title if packs else "",
        presentation=functools.reduce(lambda shown, p: p.presentation.over(shown), packs, Presentation()),
        stamp=tuple(sorted((p.id, p.fingerprint) for p in packs)),
    )


def _as_stored(quote: Quote) -> Quote:
    """The quote as its source writes it (the loader stores that span, not the pack's spelling)."""
    source: Source = quote.source
    part, start, end = locate_in_source(source, quote.text) or ("body", 0, 0)
    return Quote(source, source_part(source, part)[start:end])
