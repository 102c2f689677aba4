"""What a question asks for: its answer type, read from its question words.

The type decides which facts can answer at all: a "how many" question is answered only by a fact
that states a number, whatever else the two share.
"""

from __future__ import annotations

import re

from knowledge.fact_index import is_yes_no_question
from knowledge.text import tokenize

ANSWER_TYPES = ("how many", "who", "which", "where", "when", "why", "how", "what", "yes-no", "other")
_TYPE_WORDS = {"who": "who", "whom": "who", "whose": "who", "which": "which", "where": "where",
               "when": "when", "why": "why", "what": "what", "how": "how"}
_COUNT_WORDS = frozenset({"many", "much", "number", "count"})
NUMERALS = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|thousands?|"
    r"millions?|several|both|single|a few|half)\b", re.IGNORECASE)
"""How English states a count; a fact without any of these cannot answer "how many"."""


def answer_type(question: str) -> str:
    """One of `ANSWER_TYPES`: the first question word decides, "how many" before "how"."""
    words = tokenize(question)
    for index, word in enumerate(words):
        if word == "how" and index + 1 < len(words) and words[index + 1] in _COUNT_WORDS:
            return "how many"
        if word in _TYPE_WORDS:
            return _TYPE_WORDS[word]
    return "yes-no" if is_yes_no_question(question) else "other"


def states_a_count(statement: str) -> bool:
    return NUMERALS.search(statement) is not None
