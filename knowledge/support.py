"""Do a fact's quotes back its statement? A check on the words that make a wrong answer harmful.

A verbatim quote can still fail to support its statement ("Where are the talks?" answered with a
quote that only says who is *not* there). Meaning cannot be checked mechanically, but the words
that name something can: every person, place, number and date a statement names must appear in
one of its quotes, or in the quotes of the profile facts of the people it is about. A quote's
source date counts as quoted: every answer shows it next to the quote.
"""

from __future__ import annotations

from knowledge.pack import Pack, Problem
from knowledge.records import Fact
from knowledge.text import normalise, tokenize

NAMED_KINDS = ("person", "place")
NUMBER_WORDS = frozenset(
    "two three four five six seven eight nine ten eleven twelve dozen hundred hundreds "
    "thousand thousands million millions".split()
)
DATE_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
"""'May' is also a verb; a statement saying 'may' where no quote does is worth a second look anyway."""


def unsupported_statements(pack: Pack) -> list[Problem]:
    """One problem per fact and word: the person, place, number or date no backing quote contains."""
    entities = {e.id: e for e in pack.entities}
    facts = {f.id: f for f in pack.facts}
    dates = {
        s.id: f"{s.as_of.strftime('%A')} {s.as_of.day} {s.as_of.strftime('%B')} {s.as_of.year}" for s in pack.sources
    }
    named = [
        (entity, [normalise(alias) for alias in (entity.name, *entity.aliases)])
        for entity in pack.entities
        if entity.kind in NAMED_KINDS
    ]
    problems: list[Problem] = []
    for fact in pack.facts:
        backing = [
            fact,
            *(
                facts[p]
                for e in fact.entities
                if e in entities
                for p in [entities[e].attributes.get("profile")]
                if p in facts and p != fact.id
            ),
        ]
        support = (
            f" {' '.join(normalise(q.text + ' ' + dates.get(q.source.id, '')) for f in backing for q in f.quotes)} "
        )
        statement = f" {normalise(fact.statement)} "
        for entity, aliases in named:
            said = [alias for alias in aliases if alias and f" {alias} " in statement]
            if said and not any(alias and f" {alias} " in support for alias in aliases):
                problems.append(_missing(fact, max(said, key=len), entity.kind))
        for word in dict.fromkeys(tokenize(fact.statement)):
            kind = "number" if word.isdigit() or word in NUMBER_WORDS else "date" if word in DATE_WORDS else None
            if kind and f" {word} " not in support:
                problems.append(_missing(fact, word, kind))
    return problems


def _missing(fact: Fact, word: str, kind: str) -> Problem:
    return Problem("facts.yaml", fact.id, f"the statement names the {kind} {word!r}, which none of its quotes contains")
