"""What a question asks for: its answer type, read from its question words.

The type decides which facts can answer at all: a "how many" question is answered only by a fact
that states a number, whatever else the two share.
"""

from __future__ import annotations

import re

from knowledge.fact_index import is_yes_no_question
from knowledge.text import tokenize

ANSWER_TYPES = ("how many", "who", "which", "where", "when", "why", "how", "what", "yes-no", "other")
_TYPE_WORDS = {
    "who": "who",
    "whom": "who",
    "whose": "who",
    "which": "which",
    "where": "where",
    "when": "when",
    "why": "why",
    "what": "what",
    "how": "how",
}
_ENGLISH_PLACE_NOUNS = frozenset(
    {"city", "town", "place", "building", "venue", "location", "hotel", "palace", "room", "site"}
)
_COUNT_WORDS = frozenset({"many", "much", "number", "count"})
NUMERALS = re.compile(
    r"\b(?!(?:19|20)\d\d\b)\d+|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|thousands?|"
    r"millions?|several|both|single|a few|half)\b",
    re.IGNORECASE,
)
"""How English states a count (a year is not one); a fact without any of these cannot answer "how many"."""


_SLAVIC_TYPE_WORDS = {
    "хто": "who",
    "кто": "who",
    "кого": "who",
    "кому": "who",
    "khto": "who",
    "kto": "who",
    "що": "what",
    "что": "what",
    "shcho": "what",
    "chto": "what",
    "shto": "what",
    "який": "which",
    "яка": "which",
    "яке": "which",
    "які": "which",
    "якому": "which",
    "якій": "which",
    "какой": "which",
    "какая": "which",
    "какое": "which",
    "какие": "which",
    "каком": "which",
    "какой-то": "which",
    "де": "where",
    "где": "where",
    "куди": "where",
    "куда": "where",
    "gde": "where",
    "kudy": "where",
    "коли": "when",
    "когда": "when",
    "koly": "when",
    "kogda": "when",
    "чому": "why",
    "почему": "why",
    "навіщо": "why",
    "зачем": "why",
    "chomu": "why",
    "pochemu": "why",
    "скільки": "how many",
    "сколько": "how many",
    "skilky": "how many",
    "skolko": "how many",
}
"""Ukrainian and Russian question words (and their usual Latin spellings), by the type they ask for."""
_PLACE_NOUNS = ("міст", "город", "місц", "мест")
"""Stems of "city" and "place": "in which city ..." asks where ("which country" asks for a side)."""
SAY_STEMS = ("сказ", "заяв", "говор", "повідом", "сообщ", "відпов", "ответ", "казав", "skaz", "zayav")
"""Verbs of saying in Ukrainian and Russian, by stem: "what did X say" asks for X's own words."""


def answer_type(question: str) -> str:
    """One of `ANSWER_TYPES`: the first question word decides, "how many" before "how"; Ukrainian and
    Russian question words count too ("в якому місті" asks where)."""
    words = tokenize(question)
    for index, word in enumerate(words):
        if word == "how" and index + 1 < len(words) and words[index + 1] in _COUNT_WORDS:
            return "how many"
        if word in _TYPE_WORDS:
            after = words[index + 1] if index + 1 < len(words) else ""
            if _TYPE_WORDS[word] in ("which", "what") and after in _ENGLISH_PLACE_NOUNS:
                return "where"  # "which city", "what building": a place is asked for
            return _TYPE_WORDS[word]
        if word in _SLAVIC_TYPE_WORDS:
            asked = _SLAVIC_TYPE_WORDS[word]
            after = words[index + 1] if index + 1 < len(words) else ""
            return "where" if asked == "which" and after.startswith(_PLACE_NOUNS) else asked
    return "yes-no" if is_yes_no_question(question) else "other"


def asks_what_was_said(question: str) -> bool:
    """A Ukrainian or Russian question about what someone said (the English one reads "say" from the lexicon)."""
    return any(word.startswith(SAY_STEMS) for word in tokenize(question))


def names_a_place(fact_entities: tuple[str, ...], kinds: dict[str, str]) -> bool:
    """Whether a fact can answer "where": it is about a place."""
    return any(kinds.get(key) == "place" for key in fact_entities)


REASONS = re.compile(
    r"\b(because|since|so|after|due|as|justify|justified|insist\w*|until|reasons?|sign)\b", re.IGNORECASE
)
"""How English gives a reason; a fact without any of these cannot answer "why"."""


def gives_a_reason(statement: str) -> bool:
    return REASONS.search(statement) is not None


def fits_answer_type(asked: str, statement: str, entities: tuple[str, ...], kinds: dict[str, str]) -> bool:
    """Whether a fact can be the answer to a question of type `asked` at all: "how many" needs a
    stated count, "where" a fact about a place, "why" a reason. Other types ask nothing checkable."""
    if asked == "how many":
        return states_a_count(statement)
    if asked == "where":
        return names_a_place(entities, kinds)
    if asked == "why":
        return gives_a_reason(statement)
    return True


def states_a_count(statement: str) -> bool:
    return NUMERALS.search(statement) is not None
