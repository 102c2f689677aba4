"""The fixed words of a reply (decline, "Source:", "You could ask:") in each reply language.

Only what `knowledge.answer` composes lives here; the statements themselves come from the pack.
"""

from __future__ import annotations

from dataclasses import dataclass


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


PHRASES = {
    "en": Phrases(
        decline="I don't have a sourced answer to that.",
        empty="Ask me a question about the talks.",
        not_about="My sources don't say that about {name}.",
        which="Which side or person do you mean?",
        source="Source:",
        could_ask="You could ask:",
        before="Before:",
        as_of="(As of {date}.)",
        months=("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December"),
    ),
    "uk": Phrases(
        decline="У мене немає відповіді на це з джерелом.",
        empty="Поставте мені запитання про переговори.",
        not_about="{name}: мої джерела про це нічого не кажуть.",
        which="Яку сторону чи людину ви маєте на увазі?",
        source="Джерело:",
        could_ask="Можна запитати:",
        before="Раніше:",
        as_of="(Станом на {date}.)",
        months=("січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня", "вересня",
                "жовтня", "листопада", "грудня"),
    ),
    "ru": Phrases(
        decline="У меня нет ответа на это с источником.",
        empty="Задайте мне вопрос о переговорах.",
        not_about="{name}: мои источники об этом ничего не говорят.",
        which="Какую сторону или какого человека вы имеете в виду?",
        source="Источник:",
        could_ask="Можно спросить:",
        before="Ранее:",
        as_of="(По состоянию на {date}.)",
        months=("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
                "октября", "ноября", "декабря"),
    ),
}


def phrases(language: str | None) -> Phrases:
    return PHRASES.get(language or "en", PHRASES["en"])
