"""The engine's in-memory knowledge: sources, quotes, facts, entities and intents, read-only.

Built from the store (`knowledge.store.snapshot`); the matcher and the composer work only on it, so
answering a question never touches the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

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
    out_of_scope: frozenset[str] = frozenset()
    """Words asking what no fact covers (age, family, pay), in any language."""
    fingerprint: str = ""
    """A digest of the loaded packs' fingerprints: the same packs give the same knowledge (keys persisted indexes)."""
    title: str = ""
    """The newest pack's title: what the bot says it knows about."""
    presentation: Presentation = field(default_factory=Presentation)
    stamp: tuple[tuple[str, str], ...] = ()
    """(pack id, fingerprint) of every pack read: a different stamp in the database means a new version."""
