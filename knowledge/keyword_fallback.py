"""Ukrainian and Russian questions where the sentence encoder is not installed: the fact whose
statement, in the question's language, holds most of the question's words, with names agreeing.

Weaker than the encoder by design, and stricter: most of the question's content words must appear
(in some inflected form) in the statement, so it declines rather than guesses.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from knowledge.inflection import inflected_form_of, word_stem
from knowledge.records import Knowledge
from knowledge.text import tokenize

if TYPE_CHECKING:
    from knowledge.crosslingual import Named, NamedEntities

MIN_COVERAGE = 0.6
MIN_WORD = 4
"""Shorter words are mostly function words (хто, що, чи, кто, это) and carry no topic."""


def content_words(text: str) -> list[str]:
    return [w for w in tokenize(text) if len(w) >= MIN_WORD and not w.isdigit()]


class KeywordFallback:
    def __init__(self, knowledge: Knowledge, names: NamedEntities) -> None:
        self.knowledge = knowledge
        self.names = names
        self._statements: dict[str, dict[str, list[str]]] = {}
        for fact in knowledge.facts.values():
            texts = {"en": fact.statement, **fact.statements}
            self._statements[fact.id] = {language: content_words(text) for language, text in texts.items()}

    @cached_property
    def _standalone(self) -> frozenset[str]:
        """Facts that answer a question naming nobody ("where are the talks?"). Found when first
        needed: it reads every intent's phrasings, which a start at 100,000 intents must not wait for."""
        intents = self.knowledge.intents.values()
        return frozenset(fact for intent in intents if intent.slot is None for fact in intent.answers.values())

    def best(self, question: str, language: str, named: Named) -> tuple[str, float] | None:
        """(fact, coverage) for the best covered fact whose names agree, or None."""
        words = content_words(question)
        if not words:
            return None
        best: tuple[str, float] | None = None
        for fact, by_language in self._statements.items():
            statement = by_language.get(language) or by_language["en"]
            if not self._may_answer(named, fact):
                continue
            stems = {word_stem(w) for w in statement}
            covered = sum(1 for w in words if any(inflected_form_of(w, s) for s in stems))
            coverage = covered / len(words)
            if coverage >= MIN_COVERAGE and (best is None or coverage > best[1]):
                best = (fact, coverage)
        return best

    def _may_answer(self, named: Named, fact: str) -> bool:
        """Names must agree, and a fact about someone needs the question to name one of them: without
        the encoder's sense of what is asked, "who leads the delegation?" must not pick a side."""
        if not named.asked:
            return fact in self._standalone
        own = self.knowledge.facts[fact].entities
        return self.names.agree(named, fact) and any(key in own for key in named.asked)
