"""Suggested questions shown in the asker's language.

The matcher suggests questions by the pack's `suggest` texts, in the pack's language: they are what
a "Did you mean" button asks. Shown to someone asking in Ukrainian or Russian, each is replaced by
the intent's label in that language (`suggest_uk:`), its slot filled with the entity's name in the
case the label asks for ("Хто очолює делегацію {side:gen}?" -> "... делегацію України?").
"""

from __future__ import annotations

from knowledge.records import Intent, Knowledge
from knowledge.wording import Named


class SuggestionLabels:
    """Built once per knowledge snapshot, from the intents that have labels in other languages."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self._asked: dict[str, tuple[Intent, str | None]] = {}
        """The suggestion as the matcher words it -> (its intent, the entity filling its slot)."""
        for intent in knowledge.intents.values():
            if not intent.suggestions:
                continue
            template = intent.suggest or (intent.phrasings[0][:1].upper() + intent.phrasings[0][1:] + "?")
            slot = intent.slot
            if slot is None:
                self._asked.setdefault(template, (intent, None))
                continue
            for value in intent.answers:
                if value is not None and value in knowledge.entities:
                    text = template.replace(f"{{{slot}}}", knowledge.entities[value].name)
                    self._asked.setdefault(text, (intent, value))

    def shown(self, suggestions: tuple[str, ...], lang: str) -> tuple[str, ...]:
        """Each suggestion in `lang`; one without a label there stays as it is."""
        return tuple(self.label(text, lang) for text in suggestions)

    def label(self, suggestion: str, lang: str) -> str:
        found = self._asked.get(suggestion)
        label = found[0].suggestions.get(lang) if found else None
        if found is None or label is None:
            return suggestion
        intent, value = found
        if value is None or intent.slot is None:
            return label
        try:
            return label.format_map({intent.slot: Named(self.knowledge.entities[value], lang)})
        except (KeyError, IndexError, ValueError):  # a label `talksbot check` would have refused
            return suggestion
