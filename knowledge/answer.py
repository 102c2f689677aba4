"""Composing replies: the statement, its source and the verbatim quote, or an honest decline.

A `Reply` renders itself as plain text (CLI, JSON `text`), as Telegram HTML (every dynamic piece
escaped) and as the JSON object of the `talksbot ask --json` contract.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from knowledge.crosslingual import CrossLingualMatcher
from knowledge.encoder import Encoder, load_encoder
from knowledge.history import current_or_history
from knowledge.language import CROSSLINGUAL, detect_language, reply_language
from knowledge.matcher import Match, Matcher
from knowledge.phrases import PHRASES, phrases
from knowledge.records import Fact, Knowledge
from knowledge.suggestions import SuggestionLabels
from knowledge.text import without_address
from knowledge.wording import say

DECLINE = PHRASES["en"].decline
EMPTY = PHRASES["en"].empty
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

    def source_line(self, language: str = "en") -> str:
        return f"{self.title}, {self.publisher}, {format_date(self.as_of, language)} — {self.url}"


@dataclass(frozen=True)
class Reply:
    question: str
    answered: bool
    answer: str
    """The statement when answered, else the decline message."""
    citations: tuple[Citation, ...] = ()
    suggestions: tuple[str, ...] = ()
    """Questions to offer, in the reply's language."""
    confidence: float = 0.0
    intent: str | None = None
    fact: str | None = None
    lang: str = "en"
    """The language of the reply's own words; quotes stay in their source's language."""
    as_of: dt.date | None = None
    """For facts about things that change: the date the answer holds as of."""
    history: bool = False
    """The answer is what held before a newer fact replaced it."""
    suggested_questions: tuple[str, ...] = ()
    """The same suggestions as the matcher made them (the pack's language): what a button asks."""

    def headline(self) -> str:
        """The answer with its as-of date, marked as history if it is."""
        words = phrases(self.lang)
        text = f"{words.before} {self.answer}" if self.history else self.answer
        return f"{text} {words.as_of.format(date=format_date(self.as_of, self.lang))}" if self.as_of else text

    def plain_text(self) -> str:
        words = phrases(self.lang)
        lines = [self.headline()]
        for source_line, quotes in self._by_source():
            lines.append(f"{words.source} {source_line}")
            lines.extend(f"\u201c{quote}\u201d" for quote in quotes)
        if self.suggestions:
            lines.append(words.could_ask)
            lines.extend(f"- {suggestion}" for suggestion in self.suggestions)
        return "\n".join(lines)

    def html(self, with_suggestions: bool = True) -> str:
        """Telegram HTML: every piece of text from the pack or the user is escaped."""
        lines = [html.escape(self.headline(), quote=False)]
        for citation in self._first_per_source():
            quotes = [c.quote for c in self.citations if c.url == citation.url and c.title == citation.title]
            lines.append("")
            lines.extend(f"<i>\u201c{html.escape(quote, quote=False)}\u201d</i>" for quote in quotes)
            lines.append(
                f"— {source_link(citation.url, citation.title)}, "
                f"{html.escape(citation.publisher, quote=False)}, {format_date(citation.as_of, self.lang)}"
            )
        if with_suggestions and self.suggestions:
            lines.append("")
            lines.append(phrases(self.lang).could_ask)
            lines.extend(f"• {html.escape(s, quote=False)}" for s in self.suggestions)
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answered": self.answered,
            "text": self.plain_text(),
            "confidence": self.confidence,
            "intent": self.intent,
            "sources": [
                {
                    "title": c.title,
                    "url": c.url,
                    "quote": c.quote,
                    "publisher": c.publisher,
                    "date": c.as_of.isoformat(),
                }
                for c in self.citations
            ],
            "suggestions": list(self.suggestions),
            "lang": self.lang,
        }

    def _first_per_source(self) -> list[Citation]:
        seen: dict[tuple[str, str], Citation] = {}
        for citation in self.citations:
            seen.setdefault((citation.title, citation.url), citation)
        return list(seen.values())

    def _by_source(self) -> list[tuple[str, list[str]]]:
        return [
            (
                first.source_line(self.lang),
                [c.quote for c in self.citations if (c.title, c.url) == (first.title, first.url)],
            )
            for first in self._first_per_source()
        ]


def source_link(url: str, title: str) -> str:
    """The title linked to its URL; only the title for a URL Telegram would refuse (not http(s), with
    spaces, or so long that no message could hold the tag), since one bad link loses the whole reply."""
    text = html.escape(title, quote=False)
    href = html.escape(url, quote=True)
    if not _LINKABLE.fullmatch(url) or len(href) > MAX_URL:
        return text
    return f'<a href="{href}">{text}</a>'


def _composed(match: Match, knowledge: Knowledge, lang: str) -> str:
    """A composed statement in `lang`; one composed without a wording is English only, so another
    language gets the answering fact's own statement in that language instead."""
    if match.wording:
        return say(match.wording, knowledge, lang)
    if lang == "en" or match.fact is None:
        return match.statement or ""
    return knowledge.facts[match.fact].statement_in(lang)


def format_date(day: dt.date, language: str = "en") -> str:
    """'15 May 2025'; month names from the phrases, not the locale, so output is the same everywhere."""
    return f"{day.day} {phrases(language).months[day.month - 1]} {day.year}"


def citations_for(fact: Fact) -> tuple[Citation, ...]:
    return tuple(
        Citation(q.source.title, q.source.publisher, q.source.url, q.source.as_of, q.text) for q in fact.quotes
    )


def answer_with_fact(
    question: str,
    fact: Fact,
    *,
    confidence: float = 100.0,
    intent: str | None = None,
    history: bool = False,
    lang: str = "en",
) -> Reply:
    return Reply(
        question=question,
        answered=True,
        answer=fact.statement_in(lang),
        citations=citations_for(fact),
        confidence=confidence,
        intent=intent,
        fact=fact.id,
        as_of=fact.as_of if fact.dated else None,
        history=history,
        lang=lang,
    )


def compose_answer(
    match: Match, knowledge: Knowledge, lang: str = "en", labels: SuggestionLabels | None = None
) -> Reply:
    """The reply for a matcher decision, its own words in `lang`: a statement composed from the
    pack's structure is said in `lang` too, and suggestions are shown by their `labels` in `lang`."""
    match, history = current_or_history(match, knowledge)
    if history and match.fact is not None:
        return answer_with_fact(
            match.question,
            knowledge.facts[match.fact],
            confidence=match.confidence,
            intent=match.intent,
            history=True,
            lang=lang,
        )
    if match.fact is not None and match.statement is not None:
        backing = (match.fact, *(key for key in match.support if key != match.fact))
        return Reply(
            question=match.question,
            answered=True,
            answer=_composed(match, knowledge, lang),
            citations=tuple(c for key in backing for c in citations_for(knowledge.facts[key])),
            confidence=match.confidence,
            intent=match.intent,
            fact=match.fact,
            lang=lang,
        )
    if match.fact is not None:
        return answer_with_fact(
            match.question, knowledge.facts[match.fact], confidence=match.confidence, intent=match.intent, lang=lang
        )
    words = phrases(lang)
    if match.reason == "empty":
        message = words.empty
    elif match.reason == "unsupported_slot" and match.slot_value in knowledge.entities:
        name = knowledge.entities[match.slot_value].name_in(lang)
        message = f"{words.decline} {words.not_about.format(name=name)}"
    elif match.reason == "missing_slot":
        message = f"{words.decline} {words.which}"
    else:
        message = words.decline
    return Reply(
        question=match.question,
        answered=False,
        answer=message,
        suggestions=labels.shown(match.suggestions, lang) if labels is not None else match.suggestions,
        suggested_questions=match.suggestions,
        confidence=match.confidence,
        intent=None,
        lang=lang,
    )


@dataclass
class Answerer:
    """Answers questions from an in-memory knowledge snapshot (no database access per question).

    English questions go to the keyword matcher; Ukrainian and Russian ones to the cross-lingual
    matcher, whose encoder loads on the first such question (`cache_dir` keeps its vectors)."""

    knowledge: Knowledge
    cache_dir: Path | None = None
    load_encoder: Callable[[], Encoder | None] = load_encoder
    matcher: Matcher = None  # type: ignore[assignment]
    """Built from `knowledge` unless given (e.g. read back from a persisted index)."""
    crosslingual: CrossLingualMatcher = field(init=False)
    _labels: SuggestionLabels | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        if self.matcher is None:
            self.matcher = Matcher(self.knowledge)
        self.crosslingual = CrossLingualMatcher(
            self.knowledge,
            lambda analysis: self.matcher.suggest(analysis, []),
            cache_dir=self.cache_dir,
            load=self.load_encoder,
            english=self.matcher.match,
        )

    def prepare_readers(self) -> None:
        """Read the Ukrainian and Russian glossaries now, not on the first question that needs them
        (about 0.15 s, which language detection of a short English question may need too). The bot
        does this at start; a one-off `talksbot ask` does not."""
        for language in CROSSLINGUAL:
            self.crosslingual.reader(language)

    def match(self, question: str) -> Match:
        """The decision for a question, by the matcher for its language."""
        question = without_address(question)
        language = detect_language(question)
        if language in CROSSLINGUAL:
            return self.crosslingual.match(question, language)
        return self.matcher.match(question)

    def ask(self, question: str, lang: str | None = None, hint: str | None = None) -> Reply:
        """`lang` forces the reply language; `hint` (e.g. the asker's Telegram language) breaks ties."""
        return self.reply(self.match(question), lang=reply_language(question, lang, hint))

    def reply(self, match: Match, lang: str = "en") -> Reply:
        return compose_answer(match, self.knowledge, lang, self.labels)

    @property
    def labels(self) -> SuggestionLabels:
        """The suggestions' labels in every language, worked out on the first decline."""
        if self._labels is None:
            self._labels = SuggestionLabels(self.knowledge)
        return self._labels

    def fact_reply(self, fact_key: str, question: str = "", lang: str = "en") -> Reply:
        return answer_with_fact(question, self.knowledge.facts[fact_key], lang=lang)
