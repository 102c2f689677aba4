"""Checking a pack's translated statements: every declared language present (an error), and each
translation naming the same people, sides and places and giving the same numbers as the
original (a warning: a translation may rightly say "Moscow" where the original says "Russia")."""

from __future__ import annotations

import re
from collections import Counter

from knowledge.inflection import InflectedPhrases
from knowledge.pack import Pack, Problem

_NUMBER = re.compile(r"\d+")


def check_translations(pack: Pack) -> tuple[list[Problem], list[Problem]]:
    """(problems, warnings) about the facts' statements in the pack's languages."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    names = InflectedPhrases({e.id: e.spellings() for e in pack.entities})
    for fact in pack.facts:
        original_names = set(names.keys(fact.statement))
        original_numbers = Counter(_NUMBER.findall(fact.statement))
        for language in pack.languages[1:]:
            text = fact.statements.get(language)
            if text is None:
                problems.append(
                    Problem(
                        "facts.yaml",
                        fact.id,
                        f"statement_{language} is missing (pack.yaml lists {language} among its languages)",
                    )
                )
                continue
            named = set(names.keys(text))
            if named != original_names:
                differs = ", ".join(sorted(named ^ original_names))
                warnings.append(
                    Problem(
                        "facts.yaml",
                        fact.id,
                        f"statement_{language} names other entities than the statement ({differs})",
                    )
                )
            if Counter(_NUMBER.findall(text)) != original_numbers:
                warnings.append(
                    Problem("facts.yaml", fact.id, f"statement_{language} gives other numbers than the statement")
                )
    return problems, warnings
