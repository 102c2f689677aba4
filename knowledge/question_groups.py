"""Grouping the unanswered-question log for maintainers: near-identical questions counted together.

"who is the mediator", "Who is the mediator?" and "who's the mediatr" are one thing to add, not
three. Each group names the nearest existing intent, so a maintainer can tell a missing phrasing
(a near intent that should have matched) from missing knowledge (nothing near).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

from rapidfuzz import fuzz

from knowledge.matcher import SUGGESTION_FLOOR, Matcher
from knowledge.text import normalise


class Asked(Protocol):
    """One logged question as the unanswered log gives it."""

    @property
    def text(self) -> str: ...

    @property
    def count(self) -> int: ...

    @property
    def last_asked(self) -> dt.datetime: ...


SAME_QUESTION = 85.0
"""token_sort_ratio at or above which two logged questions count as one."""


@dataclass(frozen=True)
class QuestionGroup:
    question: str
    """The most asked wording."""
    count: int
    last_asked: dt.datetime
    variants: tuple[str, ...]
    nearest_intent: str | None = None
    nearest_score: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "count": self.count,
            "last_asked": self.last_asked.isoformat(),
            "variants": list(self.variants),
            "nearest_intent": self.nearest_intent,
            "nearest_score": round(self.nearest_score, 1),
        }


def group_questions(
    rows: list[Asked], matcher: Matcher | None = None, threshold: float = SAME_QUESTION
) -> list[QuestionGroup]:
    """Groups, most asked first; `rows` in any order."""
    groups: list[tuple[str, list[Asked]]] = []
    for row in sorted(rows, key=lambda r: (-r.count, -r.last_asked.timestamp())):
        key = normalise(row.text)
        home = next((members for head, members in groups if fuzz.token_sort_ratio(head, key) >= threshold), None)
        if home is None:
            groups.append((key, [row]))
        else:
            home.append(row)
    result = [
        QuestionGroup(
            members[0].text,
            sum(m.count for m in members),
            max(m.last_asked for m in members),
            tuple(m.text for m in members),
            *_nearest(matcher, members[0].text),
        )
        for _, members in groups
    ]
    return sorted(result, key=lambda g: (-g.count, -g.last_asked.timestamp()))


def _nearest(matcher: Matcher | None, question: str) -> tuple[str | None, float]:
    if matcher is None:
        return None, 0.0
    ranked = matcher.ranked(matcher.analyzer.analyse(question), SUGGESTION_FLOOR)
    return (ranked[0][0], ranked[0][1]) if ranked else (None, 0.0)
