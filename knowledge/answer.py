"""Composing replies: the statement, its source and the verbatim quote, or an honest decline.

A `Reply` renders itself as plain text (CLI, JSON `text`), as Telegram HTML (every dynamic piece
escaped) and as the JSON object of the `talksbot ask --json` contract.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from typing import Any

from knowledge.matcher import Match, Matcher
from knowledge.store import FactInfo, Knowledge

DECLINE = "I don't have a sourced answer to that."
EMPTY = "Ask me a question about the talks."
MAX_URL = 512
"""Longest link written as a tag: reopened at the top of each part of a split reply, it must fit the
room the splitter keeps for tags."""
_LINKABLE = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)


@dataclass(frozen=True)
class Citation:
    title: str
    publisher: str
    url: str
    as_of: dt.date
    quote: str

    def source_line(self) -> str:
        return f"{self.title}, {self.publisher}, {format_date(self.as_of)} — {self.url}"


@dataclass(frozen=True)
class Reply:
    question: str
    answered: bool
    answer: str
    """The statement when answered, else the decline message."""
    citations: tuple[Citation, ...] = ()
    suggestions: tuple[str, ...] = ()
    confidence: float = 0.0
    intent: str | None = None
    fact: str | None = None

    def plain_text(self) -> str:
        lines = [self.answer]
        for source_line, quotes in self._by_source():
            lines.append(f"Source: {source_line}")
            lines.extend(f"\u201c{quote}\u201d" for quote in quotes)
        if self.suggestions:
            lines.append("You could ask:")
            lines.extend(f"- {suggestion}" for suggestion in self.suggestions)
        return "\n".join(lines)

    def html(self, with_suggestions: bool = True) -> str:
        """Telegram HTML: every piece of text from the pack or the user is escaped."""
        lines = [html.escape(self.answer, quote=False)]
        for citation in self._first_per_source():
            quotes = [c.quote for c in self.citations if c.url == citation.url and c.title == citation.title]
            lines.append("")
            lines.extend(f"<i>\u201c{html.escape(quote, quote=False)}\u201d</i>" for quote in quotes)
            lines.append(f"— {source_link(citation)}, "
                         f"{html.escape(citation.publisher, quote=False)}, {format_date(citation.as_of)}")
        if with_suggestions and self.suggestions:
            lines.append("")
            lines.append("You could ask:")
            lines.extend(f"• {html.escape(s, quote=False)}" for s in self.suggestions)
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answered": self.answered,
            "text": self.plain_text(),
            "confidence": self.confidence,
            "intent": self.intent,
            "sources": [{"title": c.title, "url": c.url, "quote": c.quote, "publisher": c.publisher,
                         "date": c.as_of.isoformat()} for c in self.citations],
            "suggestions": list(self.suggestions),
        }

    def _first_per_source(self) -> list[Citation]:
        seen: dict[tuple[str, str], Citation] = {}
        for citation in self.citations:
            seen.setdefault((citation.title, citation.url), citation)
        return list(seen.values())

    def _by_source(self) -> list[tuple[str, list[str]]]:
        return [(first.source_line(), [c.quote for c in self.citations if (c.title, c.url) == (first.title, first.url)])
                for first in self._first_per_source()]


def source_link(citation: Citation) -> str:
    """The title linked to its URL; only the title for a URL Telegram would refuse (not http(s), with
    spaces, or so long that no message could hold the tag), since one bad link loses the whole reply."""
    title = html.escape(citation.title, quote=False)
    href = html.escape(citation.url, quote=True)
    if not _LINKABLE.fullmatch(citation.url) or len(href) > MAX_URL:
        return title
    return f"<a href=\"{href}\">{title}</a>"


def format_date(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


def citations_for(fact: FactInfo) -> tuple[Citation, ...]:
    return tuple(Citation(q.source.title, q.source.publisher, q.source.url, q.source.as_of, q.text)
                 for q in fact.quotes)


def answer_with_fact(question: str, fact: FactInfo, *, confidence: float = 100.0,
                     intent: str | None = None) -> Reply:
    return Reply(question=question, answered=True, answer=fact.statement, citations=citations_for(fact),
                 confidence=confidence, intent=intent, fact=fact.key)


def compose_answer(match: Match, knowledge: Knowledge) -> Reply:
    """The reply for a matcher decision."""
    if match.fact is not None and match.statement is not None:
        backing = (match.fact, *(key for key in match.support if key != match.fact))
        return Reply(question=match.question, answered=True, answer=match.statement,
                     citations=tuple(c for key in backing for c in citations_for(knowledge.facts[key])),
                     confidence=match.confidence, intent=match.intent, fact=match.fact)
    if match.fact is not None:
        return answer_with_fact(match.question, knowledge.facts[match.fact], confidence=match.confidence,
                                intent=match.intent)
    if match.reason == "empty":
        message = EMPTY
    elif match.reason == "unsupported_slot" and match.slot_value in knowledge.entities:
        message = f"{DECLINE} My sources don't say that about {knowledge.entities[match.slot_value].name}."
    elif match.reason == "missing_slot":
        message = f"{DECLINE} Which side or person do you mean?"
    else:
        message = DECLINE
    return Reply(question=match.question, answered=False, answer=message, suggestions=match.suggestions,
                 confidence=match.confidence, intent=None)


@dataclass
class Answerer:
    """Answers questions from an in-memory knowledge snapshot (no database access per question)."""

    knowledge: Knowledge
    matcher: Matcher = None  # type: ignore[assignment]
    """Built from `knowledge` unless given (e.g. read back from a persisted index)."""

    def __post_init__(self) -> None:
        if self.matcher is None:
            self.matcher = Matcher(self.knowledge)

    def ask(self, question: str) -> Reply:
        return compose_answer(self.matcher.match(question), self.knowledge)

    def fact_reply(self, fact_key: str, question: str = "") -> Reply:
        return answer_with_fact(question, self.knowledge.facts[fact_key])
