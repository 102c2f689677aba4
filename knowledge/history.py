"""Newer facts supersede older ones; the older ones stay available as history.

A fact with `supersedes: OLD` answers wherever OLD did (intents, briefings, /lead keep naming OLD
and get the newest). A question asking for the past ("what did they say before?", "who led it
earlier?") gets the fact that the current answer replaced, marked as history.
"""

from __future__ import annotations

import dataclasses

from knowledge.matcher import Match
from knowledge.records import Knowledge
from knowledge.text import tokenize

HISTORY_WORDS = frozenset({"before", "previously", "earlier", "originally", "formerly", "initially", "prior"})


def successors(knowledge: Knowledge) -> dict[str, str]:
    """Older fact -> the fact that replaced it."""
    return {
        fact.supersedes: fact.id
        for fact in knowledge.facts.values()
        if fact.supersedes and fact.supersedes in knowledge.facts
    }


def newest(knowledge: Knowledge, fact_key: str) -> str:
    """The fact that answers now in place of `fact_key` (itself when nothing replaced it)."""
    replaced_by = successors(knowledge)
    seen = {fact_key}
    while fact_key in replaced_by and replaced_by[fact_key] not in seen:
        fact_key = replaced_by[fact_key]
        seen.add(fact_key)
    return fact_key


def asks_for_history(question: str) -> bool:
    return bool(HISTORY_WORDS.intersection(tokenize(question)))


def current_or_history(match: Match, knowledge: Knowledge) -> tuple[Match, bool]:
    """The match moved to the newest fact, or to the one before it when the question asks for the past.

    The flag says the answer is history."""
    if match.fact is None or match.statement is not None or match.fact not in knowledge.facts:
        return match, False
    current = newest(knowledge, match.fact)
    previous = knowledge.facts[current].supersedes
    if asks_for_history(match.question) and previous in knowledge.facts:
        return dataclasses.replace(match, fact=previous), True
    return dataclasses.replace(match, fact=current), False


FOLLOW_UP_WORDS = frozenset(
    {
        "what",
        "who",
        "did",
        "does",
        "they",
        "it",
        "say",
        "said",
        "was",
        "were",
        "is",
        "and",
        "the",
        "answer",
        "that",
        "how",
        "about",
        "then",
        "before",
        "earlier",
        "previously",
    }
)
"""Besides history words, a history follow-up says no more than these ("what did they say before?")."""


def history_follow_up(knowledge: Knowledge, previous: Match | None, question: str) -> Match | None:
    """The previous question asked for its earlier answer, when this asks for it and there is one."""
    if previous is None or previous.fact is None or previous.statement is not None:
        return None
    words = set(tokenize(question))
    if not asks_for_history(question) or not words <= FOLLOW_UP_WORDS | HISTORY_WORDS:
        return None
    current = knowledge.facts.get(newest(knowledge, previous.fact))
    if current is None or current.supersedes not in knowledge.facts:
        return None
    return dataclasses.replace(previous, question=question, fact=current.id)
