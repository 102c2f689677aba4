"""What a question asks for: its answer type, read from its question words.

The type decides which facts can answer at all: a "how many" question is answered only by a fact
that states a number, whatever else the two share.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from knowledge.fact_index import is_yes_no_question
from knowledge.text import normalise, tokenize

ANSWER_TYPES = (
    "how many",
    "exact count",
    "what time",
    "how long",
    "how old",
    "definition",
    "who",
    "which",
    "where",
    "where from",
    "when",
    "why",
    "how",
    "what",
    "yes-no",
    "other",
)
_TYPE_WORDS = {
    "who": "who",
    "whom": "who",
    "whose": "who",
    "which": "which",
    "where": "where",
    "whereabouts": "where",
    "when": "when",
    "why": "why",
    "what": "what",
    "how": "how",
}
_ENGLISH_PLACE_NOUNS = frozenset(
    {"city", "town", "place", "building", "venue", "location", "hotel", "palace", "room", "site"}
)
_ORIGIN_WORDS = frozenset({"from", "roots", "originally", "origin", "origins", "hails"})
"""After "where": where someone comes from is asked. Not "born": roots are not a birthplace."""
ORIGIN = re.compile(r"\b(roots|born|native of|hails from|comes from|grew up)\b", re.IGNORECASE)
"""How English says where someone comes from."""
AFTER_THE_TALKS = re.compile(
    r"\b(?:after|following|once)\s+(?:the\s+|these\s+|this\s+)?(?:talks|negotiations|round)\b"
    r"(?!\s+(?:in\s+)?(?:19|20)\d\d)(?!\s+(?:broke|collapsed|failed|fell))"
    r"|\b(?:second|next|another|third|follow-?up)\s+round\b",
    re.IGNORECASE,
)
"""Time after the talks themselves: what no source written before their end can say. Not "after the
talks in 2022", nor "after the talks broke down". A next round ("is a second round planned?") is after them too."""
CAUSE = re.compile(
    r"\b(?:apart|down|collapsed?|failed|ended|split)\s+(?P<over>over)\b"
    r"|\b(?P<because>because of|because|due to|bc of|bc|cos|cuz|owing to)\b",
    re.IGNORECASE,
)
"""Where a claim gives a reason: "fell apart over the grain deal", "stays away because ..." (not "hand over")."""
COMPARING = re.compile(
    r"\b(more|less|better|worse|same way|both|compare|compared|comparison|differ|different|difference|\w{3,}er than)\b",
    re.IGNORECASE,
)
"""Words that compare two people's views."""
WRITTEN_NEGATION = re.compile(
    r"\b(not|no|never|nobody|none|neither|nor|isnt|arent|wasnt|werent|dont|doesnt|didnt|wont|cant|aint|hasnt|"
    r"havent|hadnt|wouldnt|shouldnt|couldnt)\b|\wn['\u2019]t\b",
    re.IGNORECASE,
)
"""A "not" the asker wrote: "isn't", "not going", "won't"."""
_FROM = re.compile(r"\bfrom\b", re.IGNORECASE)
_COMES_IN = re.compile(r"\b(?:come|comes|fit|fits)\s+in(?:to)?\b")
_STANDING = frozenset({"stand", "stands", "standing"})
"""After "where": a position is asked for, not a place."""
_COUNT_WORDS = frozenset({"many", "much", "number", "count"})
COUNT_TYPES = frozenset({"how many", "exact count"})
_EXACT_WORDS = frozenset({"exact", "exactly", "precise", "precisely", "specific"})
"""With "how many": an estimate ("hundreds", "about a dozen") does not answer."""
ESTIMATES = re.compile(
    r"\b(about|around|roughly|some|approximately|nearly|almost|over|more than|dozens|hundreds|thousands|millions|"
    r"several|a few|many)\b",
    re.IGNORECASE,
)
DEFINITION = re.compile(
    r"\bwhat (?:does|do|did) [\w' -]{1,40}? (?:mean|stand for)\W*$|\bmeaning of\b|\bdefin(?:e|ition)\b",
    re.IGNORECASE,
)
"""A question that asks what a word means ("what does denazification mean?"): only a fact that defines
something answers it. "What does Moscow mean by root causes?" asks what someone meant, not this."""
DEFINES = re.compile(r"\b(means|meaning|refers to|defined as|stands for|is a term for)\b", re.IGNORECASE)
_CLOCK_WORDS = frozenset({"time", "hour"})
"""After "what"/"which"/"at": the question asks for a time of day ("at what time did they meet")."""
CLOCK = re.compile(r"\b\d{1,2}[:.]\d\d\b|o'clock|\b[ap]\.?m\b|\b(noon|midnight)\b", re.IGNORECASE)
"""How English states a time of day; a fact without one cannot answer "what time"."""
_SLAVIC_DURATION = frozenset({"давно", "довго", "davno", "dovho", "dolgo"})
"""Ukrainian and Russian words that ask for a duration ("давно працює?", "як довго", "как долго")."""
DURATION = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|several|many|a few)\s+"
    r"(?:years?|months?|weeks?|days?|hours?|decades?)\b|\bsince\s+(?:\d{4}|\w+ \d{4})|\bfor\s+(?:years|decades|months)\b"
    r"|\b(?:year|month|week|day|hour|decade)s?-long\b|\ban?\s+(?:year|month|week|day|hour|decade)\b",
    re.IGNORECASE,
)
"""How English states a duration; a fact without one cannot answer "how long"."""
AGE = re.compile(r"\b\d{1,3}[- ]years?[- ]old\b|\baged \d{1,3}\b|\bage of \d{1,3}\b|\bborn (?:in|on)\b", re.IGNORECASE)
"""How English states a person's age; a person's fact without one cannot answer "how old"."""
DATE = re.compile(r"\b(?:1[89]|20)\d\d\b")
"""A year: what says how old a report or an event is."""
ACRONYM = re.compile(r"\b[A-ZА-ЯЁІЇЄҐ]{2,6}\b")
"""A name written in capitals ("EU", "NATO", "ЕС", "ООН"): an organisation or country. One the pack does not
know is what such a question asks about, and no fact about others answers it."""


def acronyms(question: str) -> frozenset[str]:
    """The capitalised abbreviations a question writes, lowercased ("Is the EU there?" -> {"eu"})."""
    return frozenset(found.lower() for found in ACRONYM.findall(question))


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
    if DEFINITION.search(question):
        return "definition"
    for index, word in enumerate(words):
        if word in ("how", "for") and words[index + 1 : index + 2] == ["long"] or word in _SLAVIC_DURATION:
            return "how long"
        if word == "how" and words[index + 1 : index + 2] == ["old"]:
            return "how old"
        if word == "how" and index + 1 < len(words) and words[index + 1] in _COUNT_WORDS:
            return "exact count" if _EXACT_WORDS.intersection(words) else "how many"
        if word == "where" and (_ORIGIN_WORDS.intersection(words[index + 1 :]) or words[index - 1 : index] == ["from"]):
            return "where from"  # "where is Umerov from?": a person's roots, not a place on the map
        if word == "where" and _STANDING.intersection(words[index + 1 :]):
            return "what"  # "where do the two sides stand?" asks for their positions, not a place
        if word == "where" and _COMES_IN.search(" ".join(words[index + 1 :])):
            return "what"  # "where does Trump come into this?" asks for his part, not a place
        if word in _TYPE_WORDS:
            after = words[index + 1] if index + 1 < len(words) else ""
            if _TYPE_WORDS[word] in ("which", "what") and after in _ENGLISH_PLACE_NOUNS:
                return "where"  # "which city", "what building": a place is asked for
            if _TYPE_WORDS[word] in ("which", "what") and after in _CLOCK_WORDS:
                return "what time"
            return _TYPE_WORDS[word]
        if word in _SLAVIC_TYPE_WORDS:
            asked = _SLAVIC_TYPE_WORDS[word]
            after = words[index + 1] if index + 1 < len(words) else ""
            return "where" if asked == "which" and after.startswith(_PLACE_NOUNS) else asked
    return "yes-no" if is_yes_no_question(question) else "other"


TO_WHOM = re.compile(
    r"\bto whom\b|\bwhom (?:did|does|do|has|had|was|is|were)\b|\btold whom\b"
    r"|\bwho (?:did|does|do|has|had|was|is|were) (?:\w+ ){1,3}?(?:tell|told|telling|address|addressing)\b"
    r"|\bwho (?:did|does|do|has|had|was|is|were) (?:\w+ ){1,3}?(?:say|said|saying|speak|speaking|spoke|talk|talking|talked)"
    r"(?: (?:it|this|that|these|those|words))? to\b",
    re.IGNORECASE,
)
"""A question asking whom something was said to ("to whom did X say ...", "who did X tell ...", "who was
he speaking to"): a statement without an addressee cannot answer it, however close its words. A Ukrainian
or Russian "кому" reaches the engine glossed as "to whom"."""


def asks_to_whom(question: str) -> bool:
    return TO_WHOM.search(question) is not None


def asks_what_was_said(question: str) -> bool:
    """A Ukrainian or Russian question about what someone said (the English one reads "say" from the lexicon)."""
    return any(word.startswith(SAY_STEMS) for word in tokenize(question))


REASONS = re.compile(
    r"\b(because|since|so|after|due|as|justify|justified|insist\w*|until|reasons?|sign)\b", re.IGNORECASE
)
"""How English gives a reason; a fact without any of these cannot answer "why"."""


def gives_a_reason(statement: str) -> bool:
    return REASONS.search(statement) is not None


_PHRASE_BREAK = re.compile(r"[,;:\u2013\u2014]|\s-\s")


def places_asked_within(question: str, names: Mapping[str, Iterable[str]]) -> frozenset[str]:
    """The places a question asks *inside* ("where exactly in Istanbul ..."), by their names: a fact
    whose places are all among them says nothing finer than what the asker already knows."""
    # "which city is it in, Istanbul or Ankara?": a comma ends the phrase, and the names after it are guesses
    texts = [" ".join(tokenize(part)) for part in _PHRASE_BREAK.split(question)]
    return frozenset(
        key
        for key, aliases in names.items()
        for text in texts
        if any(re.search(rf"\b(?:in|at|inside|within) {re.escape(normalise(alias))}\b", text) for alias in aliases)
    )


def fits_answer_type(
    asked: str,
    statement: str,
    entities: tuple[str, ...],
    kinds: dict[str, str],
    named: frozenset[str] = frozenset(),
    within: frozenset[str] = frozenset(),
) -> bool:
    """Whether a fact can be the answer to a question of type `asked` at all: "how many" needs a
    stated count (an exact one when asked for), "what time" a time of day, "what does X mean" a definition, "why" a reason. "where" needs a fact about a place that
    the question does not already give as where to look (`within`), and one naming each place the
    question asks about ("where is Bucha?" is not answered by where the talks are). Other types ask
    nothing checkable."""
    if asked == "how many":
        return states_a_count(statement)
    if asked == "exact count":
        return states_a_count(statement) and ESTIMATES.search(statement) is None
    if asked == "definition":
        return DEFINES.search(statement) is not None
    if asked == "what time":
        return CLOCK.search(statement) is not None
    if asked == "where from" and ORIGIN.search(statement) is not None:
        return True
    if asked == "where from" and not _FROM.search(statement):
        return False  # "Where did the delegation fly in from?": where the talks are says nothing of it
    if asked in ("where", "where from"):
        places = {key for key in entities if kinds.get(key) == "place"}
        return bool(places) and not places <= within and named - within <= places
    if asked == "why":
        return gives_a_reason(statement)
    if asked == "how long":
        return DURATION.search(statement) is not None
    if asked == "how old":
        # a person's age, or how recent a report is: "How old is Umerov?" is not answered by his profile
        if any(kinds.get(key) == "person" for key in entities):
            return AGE.search(statement) is not None
        return DATE.search(statement) is not None
    return True


def states_a_count(statement: str) -> bool:
    return NUMERALS.search(statement) is not None
