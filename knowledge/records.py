"""The records the engine answers from: sources, quotes, facts, entities, intents, and `Knowledge`.

One type per concept, whichever way it was read: `knowledge.pack.read_pack` builds them from a pack
folder, `knowledge.store.snapshot` from the database's rows, and `knowledge.assemble` turns packs
into the same `Knowledge` the store gives. Everything is frozen: answering never changes them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from knowledge.presentation import Presentation

SLOT_PATTERN = re.compile(r"\{(\w+)\}")
NO_HISTORY = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
"""`Fact.added_at` of a fact read from a pack folder: only the store knows when it first held one."""


def slot_kind(phrasings: tuple[str, ...]) -> str | None:
    """The slot kind ('side', 'person', ...) an intent's phrasings use, if any."""
    for phrasing in phrasings:
        match = SLOT_PATTERN.search(phrasing)
        if match:
            return match.group(1)
    return None


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    url: str
    as_of: dt.date
    language: str = "en"
    text: str = ""
    """The document, verbatim; empty in knowledge read from the store (answering never needs it)."""
    parts: dict[str, str] = field(default_factory=dict)
    """Quotable text beyond the body, by name (`headline`, `standfirst`), as sources.yaml marks it."""


@dataclass(frozen=True)
class Quote:
    source: Source
    text: str


@dataclass(frozen=True)
class Fact:
    id: str
    statement: str
    entities: tuple[str, ...]
    as_of: dt.date
    quotes: tuple[Quote, ...]
    statements: dict[str, str] = field(default_factory=dict)
    """The statement in other languages (`statement_uk:`, `statement_ru:`); language -> text."""

    def statement_in(self, language: str | None) -> str:
        """The statement in `language`, or the pack's own when it has no such translation."""
        return self.statements.get(language or "", self.statement)

    relations: dict[str, str] = field(default_factory=dict)
    """Who said it (`speaker`), to whom (`addressee`) and whom the speaker had met when saying it (`met`),
    for statements; entity ids or plain words."""
    dated: bool = False
    """The fact gave its own `as_of`: it is about something that changes, and replies say "as of"."""
    supersedes: str | None = None
    """The older fact this one replaces; the older one is kept as history."""
    added_at: dt.datetime = NO_HISTORY
    """When the store first held it (kept across reloads): the briefing's "new since" reads it."""


@dataclass(frozen=True)
class Entity:
    id: str
    kind: str
    name: str
    side: str | None
    aliases: tuple[str, ...]
    names: dict[str, str] = field(default_factory=dict)
    """The name as other languages' media spell it (`name_uk:`, `name_ru:`); language -> name."""

    def name_in(self, language: str | None) -> str:
        return self.names.get(language or "", self.name)

    attributes: dict[str, Any] = field(default_factory=dict)
    """Typed attributes of a person (role, delegation, attending, profile), see `knowledge.pack.ENTITY_ATTRIBUTES`."""
    forms: dict[str, dict[str, str]] = field(default_factory=dict)
    """The name's grammatical forms (`forms_uk: {gen: України}`): language -> case -> form, for the
    sentences and suggestions that put a name in a case ("делегація {side:gen}"); not spellings."""

    def form_in(self, language: str | None, case: str = "") -> str:
        """The name in `language` in a grammatical case, the plain name for no case or one the pack
        does not give (`talksbot check` flags those)."""
        return self.forms.get(language or "", {}).get(case) or self.name_in(language)

    def spellings(self) -> tuple[str, ...]:
        """Every way it is written: the name, its translations and its aliases, once each."""
        return tuple(dict.fromkeys((self.name, *self.names.values(), *self.aliases)))


@dataclass(frozen=True)
class Intent:
    id: str
    phrasings: tuple[str, ...]
    answers: dict[str | None, str]
    """Slot value (an entity id) to fact id; the key is None for an intent without a slot."""
    suggest: str | None
    requires: tuple[str, ...] = ()
    """Words a question must contain (after synonyms) for this intent to match at all."""
    excludes: tuple[str, ...] = ()
    """Words that rule this intent out ("exactly" for a fact that gives no exact number)."""
    suggestions: dict[str, str] = field(default_factory=dict)
    """`suggest` in other languages (`suggest_uk:`): language -> label; a slot may name the case its
    value takes there ("Хто очолює делегацію {side:gen}?")."""

    @property
    def slot(self) -> str | None:
        return slot_kind(self.phrasings)


@dataclass(frozen=True)
class Knowledge:
    facts: dict[str, Fact]
    entities: dict[str, Entity]
    """Their `aliases` are every spelling (`Entity.spellings`), as matching needs them."""
    intents: dict[str, Intent]
    stopwords: frozenset[str] = frozenset()
    synonyms: dict[str, str] = field(default_factory=dict)
    """Variant (as written in the lexicon) -> canonical word."""
    sources: tuple[Source, ...] = ()
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
    rows_version: str = field(default="", compare=False)
    """A digest of the packs' ids, fingerprints and load times as stored: these very rows, which a
    reload or an unload changes. What a persisted copy of the knowledge is keyed by ("" when not
    read from a store). Where the knowledge came from, not what it says: not compared."""
