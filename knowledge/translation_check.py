"""Checking a pack's translations: every statement in every declared language (an error), each
translation naming the same people, sides and places and giving the same numbers as the original
(a warning: a translation may rightly say "Moscow" where the original says "Russia"); and the
suggestion labels, name forms and profile texts in every declared language (errors)."""

from __future__ import annotations

import re
import string
from collections import Counter

from knowledge.i18n import translations
from knowledge.inflection import InflectedPhrases
from knowledge.pack import Pack, Problem
from knowledge.records import Entity, Intent

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


_CASE_SLOT = re.compile(r"\{(\w+):(\w+)\}")
NAMED_IN_REPLIES = ("side", "person")
"""Entity kinds whose names the composed replies put in a case ("делегація {side:gen}")."""


def check_labels(pack: Pack) -> list[Problem]:
    """Problems with what the bot says in the pack's other languages besides statements: each
    suggestion label present and well formed, each name form a label or a composed reply asks for,
    and the profile texts."""
    problems: list[Problem] = []
    entities = {e.id: e for e in pack.entities}
    for language in pack.languages[1:]:
        because = f"(pack.yaml lists {language} among its languages)"
        for intent in pack.intents:
            if intent.suggest is None:
                continue
            label = intent.suggestions.get(language)
            if label is None:
                problems.append(Problem("intents.yaml", intent.id, f"suggest_{language} is missing {because}"))
                continue
            problems.extend(_label_problems(intent, label, language, entities))
        cases = _cases_in_replies(language)
        for entity in pack.entities:
            if entity.kind not in NAMED_IN_REPLIES:
                continue
            missing = sorted(cases - set(entity.forms.get(language, {})))
            if missing:
                problems.append(
                    Problem(
                        "entities.yaml",
                        entity.id,
                        f"forms_{language} lacks {', '.join(missing)}: replies in {language} put names in that case",
                    )
                )
        for key in ("description", "short_description"):
            if getattr(pack, key) and key not in pack.descriptions.get(language, {}):
                problems.append(Problem("pack.yaml", "", f"{key}_{language} is missing {because}"))
    return problems


def _label_problems(intent: Intent, label: str, language: str, entities: dict[str, Entity]) -> list[Problem]:
    problems: list[Problem] = []
    try:
        fields = [(name, spec) for _, name, spec, _ in string.Formatter().parse(label) if name is not None]
    except ValueError as exc:
        return [Problem("intents.yaml", intent.id, f"suggest_{language} is not a well-formed label: {exc}")]
    for name, case in fields:
        if name != intent.slot:
            problems.append(
                Problem(
                    "intents.yaml",
                    intent.id,
                    f"suggest_{language} has {{{name}}}, but the intent's slot is {intent.slot}",
                )
            )
            continue
        for value in filter(None, intent.answers):
            entity = entities.get(value)
            if case and entity is not None and case not in entity.forms.get(language, {}):
                problems.append(
                    Problem(
                        "entities.yaml",
                        value,
                        f"forms_{language} lacks {case}, which suggest_{language} of intent {intent.id} asks for",
                    )
                )
    return problems


def _cases_in_replies(language: str) -> set[str]:
    """The grammatical cases the reply catalogue of `language` asks of names."""
    catalogue = translations(language)
    messages = getattr(catalogue, "_catalog", {}).values()
    return {case for text in messages if isinstance(text, str) for _, case in _CASE_SLOT.findall(text)}
