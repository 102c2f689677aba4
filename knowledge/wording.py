"""Composed sentences said in the reply's language: gettext messages whose slots hold names and statements.

A composed answer ("No. Rustem Umerov leads Ukraine's delegation. ...") is kept as a `Wording`, not
as text: the message is an English gettext id (`knowledge.i18n`), and its slots are filled when the
reply's language is known, names from the pack's spellings and statements from its translations.
A slot may ask for a grammatical case, which the pack gives per entity (`forms_uk: {gen: України}`):
the Ukrainian message for "{side}'s delegation" says "делегація {side:gen}". English takes no case.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, Union

from knowledge.i18n import N_, tr, trn

if TYPE_CHECKING:
    from knowledge.records import Entity, Fact


class Known(Protocol):
    """What saying a wording needs to know: the entities' names and the facts' statements."""

    @property
    def entities(self) -> Mapping[str, Entity]: ...

    @property
    def facts(self) -> Mapping[str, Fact]: ...


@dataclass(frozen=True)
class Name:
    """An entity's name, in the case the message asks for."""

    entity: str


@dataclass(frozen=True)
class Statement:
    """A fact's statement in the reply's language; `plain` drops a "Yes."/"No." it opens with."""

    fact: str
    plain: bool = True


@dataclass(frozen=True)
class Listing:
    """Items joined by `separator`, the last by `last` ("A, B and C"); both are gettext messages."""

    items: tuple[Slot, ...]
    separator: str = ", "
    last: str = N_(" and ")


@dataclass(frozen=True)
class Wording:
    """One gettext message (English: the id) with named slots; `plural` and `count` make it an ngettext."""

    message: str
    slots: tuple[tuple[str, Slot], ...] = ()
    plural: str | None = None
    count: int = 1


Slot = Union[Name, Statement, Listing, Wording, int]


def said(message: str, **slots: Slot) -> Wording:
    """A sentence to say: `message` (an English gettext id, extracted by pybabel's `-k said`)."""
    return Wording(message, tuple(slots.items()))


def said_n(singular: str, plural: str, n: int, **slots: Slot) -> Wording:
    """A sentence whose words follow the number `n` (ngettext; extracted by pybabel's `-k said_n:1,2`)."""
    return Wording(singular, tuple(slots.items()), plural, n)


def say(words: tuple[Wording, ...], knowledge: Known, lang: str) -> str:
    """The sentences in `lang`, one space apart."""
    return " ".join(_wording(w, knowledge, lang) for w in words)


def plain(statement: str, lang: str = "en") -> str:
    """A statement without the "Yes."/"No." it opens with as a reply of its own, to follow a composed verdict."""
    for word in (tr(lang, "Yes"), tr(lang, "No")):
        for opener in (f"{word}. ", f"{word}, "):
            if statement.startswith(opener):
                rest = statement[len(opener) :]
                return rest[:1].upper() + rest[1:]
    return statement


class Named:
    """A name that takes a case from the format spec: "{side:gen}"."""

    def __init__(self, entity: Entity, lang: str) -> None:
        self.entity, self.lang = entity, lang

    def __format__(self, case: str) -> str:
        return self.entity.name if self.lang == "en" else self.entity.form_in(self.lang, case)


class _Text(str):
    """Text that ignores a case asked of it (a translator's "{statement:gen}" must not break a reply)."""

    def __format__(self, spec: str) -> str:
        return str(self)


def _value(slot: Slot, knowledge: Known, lang: str) -> object:
    if isinstance(slot, Name):
        return Named(knowledge.entities[slot.entity], lang)
    if isinstance(slot, Statement):
        text = knowledge.facts[slot.fact].statement_in(lang)
        return _Text(plain(text, lang) if slot.plain else text)
    if isinstance(slot, Listing):
        parts = [format(_value(item, knowledge, lang)) for item in slot.items]
        if len(parts) < 2:
            return _Text("".join(parts))
        separator, last = tr(lang, slot.separator), tr(lang, slot.last)
        return _Text(f"{separator.join(parts[:-1])}{last}{parts[-1]}")
    if isinstance(slot, Wording):
        return _Text(_wording(slot, knowledge, lang))
    return slot


def _wording(words: Wording, knowledge: Known, lang: str) -> str:
    message = (
        trn(lang, words.message, words.plural, words.count) if words.plural is not None else tr(lang, words.message)
    )
    values = {name: _value(slot, knowledge, lang) for name, slot in words.slots}
    try:
        return message.format(**values)
    except (KeyError, IndexError, ValueError):  # a broken translation: the English message still fits
        english = words.message if words.plural is None or words.count == 1 else words.plural
        return english.format(**{name: _value(slot, knowledge, "en") for name, slot in words.slots})
