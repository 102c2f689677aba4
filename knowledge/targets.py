"""What a Ukrainian or Russian question is compared with: the pack's phrasings with each slot filled
by every entity that has an answer, and every fact's statement in every language it is given in."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.records import SLOT_PATTERN
from knowledge.records import Knowledge


@dataclass(frozen=True)
class Target:
    text: str
    fact: str
    intent: str | None
    """None for a statement: it answers its own fact directly."""
    value: str | None = None
    """The entity filling the phrasing's slot."""


def build_targets(knowledge: Knowledge) -> list[Target]:
    """Deterministic order, so the same knowledge always gives the same cache digest."""
    targets: list[Target] = []
    for intent in knowledge.intents.values():
        for phrasing in intent.phrasings:
            for value, fact in intent.answers.items():
                if fact not in knowledge.facts:
                    continue
                if value is None:
                    targets.append(Target(phrasing, fact, intent.id))
                elif value in knowledge.entities:
                    text = SLOT_PATTERN.sub(knowledge.entities[value].name, phrasing)
                    targets.append(Target(text, fact, intent.id, value))
    for info in knowledge.facts.values():
        for text in dict.fromkeys((info.statement, *info.statements.values())):
            targets.append(Target(text, info.id, None))
    return targets
