"""The fixed words of a reply (decline, "Source:", "You could ask:") in each reply language.

Only what `knowledge.answer` composes lives here, translated by the gettext catalogues
(`knowledge.i18n`); the statements themselves come from the pack.
"""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.i18n import tr


@dataclass(frozen=True)
class Phrases:
    decline: str
    empty: str
    not_about: str
    """Follows the decline when the pack has nothing on this for a named side or person; {name}."""
    which: str
    source: str
    could_ask: str
    before: str
    """Marks an answer that held before a newer fact replaced it."""
    as_of: str
    """The date a changing answer holds as of; {date}."""
    months: tuple[str, ...]
    """Month names in the genitive, as a date is written ("15 травня 2025")."""


def phrases(language: str | None) -> Phrases:
    """The reply words in `language`, from the gettext catalogues (`knowledge.i18n`)."""
    lang = language or "en"
    return Phrases(
        decline=tr(lang, "I don't have a sourced answer to that."),
        empty=tr(lang, "Ask me a question about the talks."),
        not_about=tr(lang, "My sources don't say that about {name}."),
        which=tr(lang, "Which side or person do you mean?"),
        source=tr(lang, "Source:"),
        could_ask=tr(lang, "You could ask:"),
        before=tr(lang, "Before:"),
        as_of=tr(lang, "(As of {date}.)"),
        # Month names in the genitive, as a date is written ("15 травня 2025")
        months=(
            tr(lang, "January"),
            tr(lang, "February"),
            tr(lang, "March"),
            tr(lang, "April"),
            tr(lang, "May"),
            tr(lang, "June"),
            tr(lang, "July"),
            tr(lang, "August"),
            tr(lang, "September"),
            tr(lang, "October"),
            tr(lang, "November"),
            tr(lang, "December"),
        ),
    )


PHRASES = {lang: phrases(lang) for lang in ("en", "uk", "ru")}
