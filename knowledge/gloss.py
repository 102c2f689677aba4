"""Reading a Ukrainian or Russian question as English words, so the English engine can answer it.

The English engine knows what questions mean: answer types, structured facts, out-of-scope predicates,
slot rules. A word-by-word gloss through a general glossary (`knowledge/glossaries/`) plus the pack's
own names hands it "хто очолює делегацію Росії" as "who lead delegation Russia", which it reads as
well as any terse English question. Word order and case endings are lost, which a keyword engine does
not use anyway. Questions typed in Latin letters ("khto ocholiuie delehatsiiu") are compared by a
spelling skeleton that forgives the usual transliteration choices (kh/h, ia/ya, iu/yu).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from knowledge.inflection import Found, InflectedPhrases, word_stem
from knowledge.text import raw_words, tokenize

GLOSSARY_DIR = Path(__file__).parent / "glossaries"
FILLER = "~"
"""Keys starting with this list words that are read but carry nothing the English engine uses
("підкажіть", "ну"; "~year": "року" in "2022 року")."""
MAX_STEM_ENDING = 7
"""How many letters a stem entry ("очолю-") may be followed by: verbs inflect at length."""
MAX_WORD_ENDING = 4
"""How many letters may replace a word entry's final vowels (делегація: делегації, делегацією)."""
_SENTENCE = re.compile(r"([^.?!;\n]+)([.?!;\n]*)")
_CLAUSE_BREAK = re.compile(r"[,:\u2013\u2014]|\s-\s")
QUESTION_WORDS = frozenset({"who", "whose", "what", "where", "from where", "when", "why", "how", "how many", "which"})
CONJUNCTIONS = {"what": "that", "how": "as"}
"""Question words that open a later clause of a question that already asks, or that follows a verb of
saying or thinking ("Рубіо казав, що ..."): conjunctions there."""
REPORTING_VERBS = frozenset({"say", "think", "regard", "announce", "know", "expect", "hope", "criticise", "is it true"})
HEARSAY = frozenset(
    "кажуть говорять пишуть чув чула читав читала бачив бачила говорят пишут слышал слышала читал видел видела".split()
)
"""Words of hearsay read as filler ("Кажуть, що ..."): the "що" after them is "that", not "what"."""
SINCE_BEFORE_NUMBER = frozenset({"с", "со", "з", "із", "зі", "s", "z", "iz"})
""""с 2022 года", "з 2022 року": since the year, not "with"."""
_SHORT_YEAR = re.compile(r"(1[4-9]|2\d)(го|-го|г|go)?")
_BEFORE_A_YEAR = frozenset("після после с со з із зі від от до pislia posle s z iz vid ot do".split())
_MONTH_STEMS = (
    "січ",
    "лют",
    "берез",
    "квіт",
    "трав",
    "черв",
    "лип",
    "серп",
    "верес",
    "жовт",
    "листоп",
    "груд",
    "янв",
    "фев",
    "мар",
    "апр",
    "мая",
    "май",
    "июн",
    "июл",
    "авг",
    "сент",
    "окт",
    "нояб",
    "дек",
)
"""Beginnings of the months' names in both languages: "22-го травня" is a day, not a year."""
NUMBER_ENDINGS = frozenset({"го", "й", "ї", "х", "ті", "му", "м", "ого", "ому", "ий", "ая", "ей", "ых", "их"})
"""Case endings written after a number ("2022-го", "2022-му"): part of the number, not words."""
OR_INSIDE = frozenset({"чи", "chy"})
WILL, BE_THERE, TALKS = "will", "be", "talks"
"""How the glossaries read "буде"/"будет", the English engine's word for being at the talks, and how the
glossaries read the talks themselves ("переговори")."""
"""Ukrainian "чи" asks a yes/no question at the start of a clause and means "or" inside one."""
DATIVE_ENDINGS = ("у", "ю", "ові", "еві", "ому", "ему")
WITH, FROM = "with", "from"
FROM_OR_WITH = frozenset({"з", "із", "зі"})
"""Ukrainian "з" is "with" before the instrumental ("з Умєровим") and "from" before the genitive ("з Кремля")."""
GENITIVE_ENDINGS = ("а", "я", "у", "ю", "и", "і", "ї", "ів", "їв", "ей", "ої", "ого", "их")
INSTRUMENTAL_ENDINGS = ("ом", "ем", "єм", "ою", "ею", "єю", "ами", "ями", "им", "ими", "ім")
"""Endings a name takes when spoken to ("сказав Ердогану", "сказал Эрдогану"): after a verb of saying, "to X"."""
SAY, TALK = "say", "talk"
_WITH = frozenset({"з", "із", "зі", "с", "со", "z", "iz", "zi", "s", "so"})
"""Prepositions that make a verb of speaking "talk with" ("говорити з", "говорить с")."""
SAYING = frozenset({SAY, "tell"})
"""Glosses of the verbs of saying after which a name in the dative is the one spoken to."""
_CLAUSE_CONJUNCTIONS = frozenset({"і", "й", "та", "а", "але", "и", "но", "i", "y", "ta", "a", "ale", "no"})
_AND = frozenset({"і", "й", "та", "и", "i", "y", "ta"})
"""'And' in both languages: read as filler, except before a question word, where it joins two questions."""
_PREPOSITIONS = frozenset("про о об в у на з із с до від от для за по pro o ob v u na z s do".split())
TYPO_FROM = 6
"""Words at least this long forgive one typo ("переговри", "возгловляет")."""

_TRANSLIT = {
    "uk": dict(
        zip(
            "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
            "a b v h g d e ie zh z y i i i k l m n o p r s t u f kh ts ch sh shch _ iu ia".split(),
            strict=True,
        )
    ),
    "ru": dict(
        zip(
            "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
            "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya".split(),
            strict=True,
        )
    ),
}
_SKELETON_STEPS = (
    (re.compile(r"shch|sch"), "s"),
    (re.compile(r"(?<=[bcdfghklmnprstvz])'"), ""),
    (re.compile(r"kh"), "h"),
    (re.compile(r"zh"), "z"),
    (re.compile(r"ts|tz"), "c"),
    (re.compile(r"[jy]"), "i"),
    (re.compile(r"x"), "h"),
    (re.compile(r"w"), "v"),
    (re.compile(r"i([aeou])"), r"\1"),
    (re.compile(r"(.)\1+"), r"\1"),
)


def transliterate(word: str, language: str) -> str:
    """A Cyrillic word in Latin letters, by the language's common (national / BGN-like) scheme."""
    table = _TRANSLIT.get(language, _TRANSLIT["ru"])
    return "".join(table.get(ch, ch) for ch in word).replace("_", "")


def skeleton(word: str) -> str:
    """A Latin spelling with the choices transliterations differ on folded away: kh/h, ya/ia/a,
    y/i/j, doubled letters. Both the glossary and the question's words are compared this way."""
    text = word.lower()
    for pattern, replacement in _SKELETON_STEPS:
        text = pattern.sub(replacement, text)
    return text


@dataclass(frozen=True)
class Reading:
    """A question glossed into English words, and how much of it the gloss understood."""

    text: str
    coverage: float
    """Share of the question's words that were glossed, named or known filler (0..1)."""
    unknown: tuple[str, ...] = ()


class Glossary:
    """English glosses for words of one language (and their Latin transliterations)."""

    def __init__(self, entries: Mapping[str, Sequence[str]], language: str) -> None:
        self.language = language
        self._phrases: dict[tuple[str, ...], str] = {}
        self._stem_phrases: dict[tuple[str, ...], str] = {}
        """Phrases whose last word is a stem ("пресс-секретар-": "пресс-секретарь", "-секретаря")."""
        self._words: dict[str, str] = {}
        self._stems: dict[str, str] = {}
        self._word_stems: dict[str, str] = {}
        for folded in (False, True):  # a transliteration spelt exactly ("ne", "не") before a folded one ("nee")
            for english, words in entries.items():
                gloss = "" if english.startswith(FILLER) else english
                for entry in words:
                    self._add(entry, gloss, folded)
        self._longest_phrase = max((len(p) for p in (*self._phrases, *self._stem_phrases)), default=1)
        self._by_length: dict[int, list[str]] = {}
        for key in (*self._stems, *self._word_stems):
            if len(key) >= TYPO_FROM:
                self._by_length.setdefault(len(key), []).append(key)

    @classmethod
    @cache
    def for_language(cls, language: str) -> Glossary | None:
        path = GLOSSARY_DIR / f"{language}.yaml"
        if not path.is_file():
            return None
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader where libyaml is built in
        return cls(yaml.load(path.read_text(encoding="utf-8"), Loader=loader), language)

    def _add(self, entry: str, gloss: str, folded: bool) -> None:
        """The entry and its Latin spelling; on the `folded` pass, only a Latin spelling that folding
        changed (see `skeleton`), so that no folded spelling takes the place of an exact one."""
        is_stem = entry.endswith("-")
        words = tokenize(entry)
        if not words:
            return
        latin = [transliterate(w, self.language) for w in words]
        skeletons = [skeleton(w) for w in latin]
        spellings = [skeletons] if folded and skeletons != latin else [] if folded else [words]
        if not folded and skeletons == latin:
            spellings.append(skeletons)
        for spelling in spellings:
            if len(spelling) > 1:
                (self._stem_phrases if is_stem else self._phrases).setdefault(tuple(spelling), gloss)
            elif is_stem:
                self._stems.setdefault(spelling[0], gloss)
            else:
                self._words.setdefault(spelling[0], gloss)
                if len(spelling[0]) > 3:
                    self._word_stems.setdefault(word_stem(spelling[0]), gloss)

    def has_word(self, word: str) -> bool:
        """Whether the glossary lists the word itself (not only its stem)."""
        return word in self._words

    def gloss_word(self, word: str, typos: bool = True) -> str | None:
        """The English for one word ("" for filler), or None when the glossary does not know it."""
        if word.isascii() and word.isalpha():
            word = skeleton(word)
        if word in self._words:
            return self._words[word]
        for size in range(len(word), 2, -1):
            prefix = word[:size]
            if prefix in self._stems and len(word) - size <= MAX_STEM_ENDING:
                return self._stems[prefix]
            if prefix in self._word_stems and len(word) - size <= MAX_WORD_ENDING:
                return self._word_stems[prefix]
        return self._near(word) if typos and len(word) >= TYPO_FROM else None

    def _near(self, word: str) -> str | None:
        """A stem one typo away from the word's start, longest first, same first letter."""
        for size in sorted(self._by_length, reverse=True):
            if size > len(word) + 1:
                continue
            for cut in (size - 1, size, size + 1):
                head = word[:cut]
                if len(word) - cut > MAX_STEM_ENDING:
                    continue
                found = process.extractOne(head, self._by_length[size], scorer=Levenshtein.distance, score_cutoff=1)
                if found is not None and found[0][0] == head[:1]:
                    key = found[0]
                    return self._stems.get(key, self._word_stems.get(key))
        return None

    def phrase_at(self, words: Sequence[str], start: int) -> tuple[str, int] | None:
        """A glossed phrase of two or more words starting at `start`: (english, length)."""
        for length in range(min(self._longest_phrase, len(words) - start), 1, -1):
            key = tuple(self._spelled(w) for w in words[start : start + length])
            if key in self._phrases:
                return self._phrases[key], length
            for cut in range(len(key[-1]), max(len(key[-1]) - MAX_STEM_ENDING, 0) - 1, -1):
                stemmed = (*key[:-1], key[-1][:cut])
                if stemmed in self._stem_phrases:
                    return self._stem_phrases[stemmed], length
        return None

    @staticmethod
    def _spelled(word: str) -> str:
        return skeleton(word) if word.isascii() and word.isalpha() else word


NEGATING_PREFIXES = ("не", "ne")
"""Ukrainian and Russian "не-" joined to an adjective or adverb: "несерйозно" is "not seriously"."""
MIN_NEGATED = 5
"""Letters the word must keep after "не": "небо" is no negation of "бо"."""


class QuestionReader:
    """Glosses questions with a pack's names read as their English names. The question's own
    language's glossary comes first; the other's is asked next (language detection of a short
    question can be wrong, and the two languages share many words)."""

    def __init__(
        self,
        glossaries: Sequence[Glossary],
        aliases: Mapping[str, Iterable[str]],
        english_names: Mapping[str, str],
        places: frozenset[str] = frozenset(),
    ) -> None:
        """`places`: the keys of the names that are places or countries ("буде в Стамбулі": attends)."""
        self.glossaries = tuple(glossaries)
        self._places = places
        self._names = InflectedPhrases(aliases)
        self._latin_names = InflectedPhrases(_latin_aliases(aliases))
        self._english_names = english_names
        self._name_words = {key: {w for text in texts for w in tokenize(text)} for key, texts in aliases.items()}

    def read(self, question: str) -> Reading:
        """Sentence by sentence, so the English engine can still pick the sentence that asks."""
        parts = [self._read_sentence(m.group(1), m.group(2)) for m in _SENTENCE.finditer(question)]
        parts = [p for p in parts if p[2]]
        total = sum(p[2] for p in parts)
        if not total:
            return Reading("", 0.0)
        text = " ".join(p[0] for p in parts if p[0])
        return Reading(text, sum(p[1] for p in parts) / total, tuple(w for p in parts for w in p[3]))

    def _read_sentence(self, sentence: str, end: str) -> tuple[str, int, int, list[str]]:
        """(gloss with the sentence's end mark, words understood, words, unknown words). Unknown words
        stay in the gloss as they are written, case and all: the English engine must see that something
        it does not know was asked ("яка столиця Туреччини" is not "which Turkey"), and a capital may
        tell it that a place is named ("були в Мінську")."""
        written = raw_words(sentence)
        words = [word.casefold() for word in written]
        clause_starts = _clause_starts(sentence)
        named = {found.start: found for found in self._names.find(sentence)}
        latin = [skeleton(w) if w.isascii() and w.isalpha() else w for w in words]
        for found in self._latin_names.find(" ".join(latin)):
            if not any(f.start <= found.start < f.start + f.length for f in named.values()):
                named.setdefault(found.start, found)
        glossed: list[str] = []
        unknown: list[str] = []
        understood = 0
        i = 0
        while i < len(words):
            if i in clause_starts and glossed and glossed[-1]:
                glossed[-1] += ","  # "хто очолює, Лавров чи Мединський": the guesses stay set apart
            if i in named:
                found = named[i]
                if SAYING.intersection(g.rstrip(",") for g in glossed) and self._dative(
                    words[i + found.length - 1], found.key
                ):
                    glossed.append("to")  # "що Зеленський сказав Ердогану": what he said *to* Erdogan
                glossed.append(self._english_names[found.key])
                understood += found.length
                i += found.length
                continue
            if words[i] in _AND and glossed and i + 1 < len(words) and self._gloss_word(words[i + 1]) in QUESTION_WORDS:
                glossed.append("and")  # "що сталося в Бучі і як це вплинуло": a second question follows
                understood += 1
                i += 1
                continue
            phrase = next(filter(None, (g.phrase_at(words, i) for g in self.glossaries)), None)
            if phrase is not None:
                glossed.append(phrase[0])
                understood += phrase[1]
                i += phrase[1]
                continue
            word = words[i]
            year = _short_year(words, i)
            if year is not None:
                glossed.append(year)
                understood += 1
                i += 1
                continue
            if word in NUMBER_ENDINGS and i and words[i - 1].isdigit():
                understood += 1
                i += 1
                continue
            inside = bool(glossed) and i not in clause_starts and words[i - 1] not in _CLAUSE_CONJUNCTIONS
            gloss = word if word.isdigit() else "or" if word in OR_INSIDE and inside else self._gloss_word(word)
            if word in SINCE_BEFORE_NUMBER and i + 1 < len(words) and words[i + 1].isdigit():
                gloss = "since"
            reported = (
                bool(glossed) and glossed[-1].rstrip(",") in REPORTING_VERBS or (i > 0 and words[i - 1] in HEARSAY)
            )
            if gloss in CONJUNCTIONS and i in clause_starts and (reported or _asks(glossed)):
                gloss = CONJUNCTIONS[gloss]  # "хто сказав, що ..." is "who said that ...", not "... what ..."
            elif gloss == "which" and _relative(words, i, clause_starts, glossed):
                gloss = "that"  # "що за причини, про які каже Москва": a relative pronoun; the question already asks
            if gloss == WITH and word in FROM_OR_WITH and _genitive_follows(words, i):
                gloss = FROM  # "ушаков з кремля", "хто з делегації": "з" with the genitive is "from"
            if gloss == SAY and _with_someone(words, i, clause_starts):
                gloss = TALK  # "говоритиме з росіянами", "з ким говорить": talking with someone, not saying
            if gloss == WILL and self._in_a_place(words, i + 1, named):
                gloss = BE_THERE  # "не буде в Стамбулі": will not be there, not a future of nothing
            if gloss is None:
                unknown.append(word)
                glossed.append(written[i])
            else:
                understood += 1
                glossed.append(gloss)
            i += 1
        text = " ".join(g for g in glossed if g)
        return (text + end.strip()[:1] if text else ""), understood, len(words), unknown

    def _in_a_place(self, words: Sequence[str], at: int, named: Mapping[int, Found]) -> bool:
        """Whether a place's name, or the talks themselves ("не буде на переговорах"), follows at `at`,
        after one preposition."""
        if at >= len(words) or words[at] not in _PREPOSITIONS:
            return False
        found = named.get(at + 1)
        if found is not None:
            return found.key in self._places
        return at + 1 < len(words) and self._gloss_word(words[at + 1]) == TALKS

    def filler_words(self, words: Sequence[str]) -> set[int]:
        """Positions of the words inside a phrase some glossary knows as filler ("я не в курсе")."""
        inside: set[int] = set()
        for start in range(len(words)):
            phrase = next(filter(None, (g.phrase_at(words, start) for g in self.glossaries)), None)
            if phrase is not None and phrase[0] in ("", FILLER):
                inside.update(range(start, start + phrase[1]))
        return inside

    def _dative(self, word: str, key: str) -> bool:
        """Whether a name's word is inflected with a dative ending (not a form it has uninflected: "Шойгу")."""
        return word not in self._name_words[key] and word.endswith(DATIVE_ENDINGS)

    def _gloss_word(self, word: str) -> str | None:
        for typos in (False, True):
            for glossary in self.glossaries:
                gloss = glossary.gloss_word(word, typos)
                if gloss is not None:
                    return gloss
        rest = word[2:]
        if word.startswith(NEGATING_PREFIXES) and len(rest) >= MIN_NEGATED:
            # "несерйозно", "neseryozno": "not" and the word, when the glossary has only the word
            for glossary in self.glossaries:
                gloss = glossary.gloss_word(rest, typos=False)
                if gloss:
                    return f"not {gloss}"
        return None


def _short_year(words: Sequence[str], at: int) -> str | None:
    """A year written with two digits after "since", "after" or "before" ("після 22-го року", "с 22го"): the
    full year, this century's. Not a day of a month ("до 22-го травня")."""
    found = _SHORT_YEAR.fullmatch(words[at])
    if found is None or at == 0 or words[at - 1] not in _BEFORE_A_YEAR:
        return None
    after = at + 1 + (at + 1 < len(words) and words[at + 1] in NUMBER_ENDINGS and not found.group(2))
    if after < len(words) and words[after].startswith(_MONTH_STEMS):
        return None
    return f"20{found.group(1)}"


def _with_someone(words: Sequence[str], verb: int, clause_starts: set[int]) -> bool:
    """Whether "with" (not "since": "з 2022") goes with the verb at `verb`: right after it, or earlier
    in its clause ("з ким говорить")."""
    start = max((c for c in clause_starts if c <= verb), default=0)
    nearby = [*range(start, verb), verb + 1]
    return any(
        at < len(words) and words[at] in _WITH and not (at + 1 < len(words) and words[at + 1].isdigit())
        for at in nearby
    )


def _asks(glossed: Sequence[str]) -> bool:
    """Whether a question word is among the glosses so far, alone or opening a phrase ("who said")."""
    return any(g.rstrip(",") in QUESTION_WORDS or g.split(" ", 1)[0] in QUESTION_WORDS for g in glossed)


def _relative(words: Sequence[str], index: int, clause_starts: set[int], glossed: Sequence[str]) -> bool:
    """Whether a "which" word at `index` is a relative pronoun ("причини, про які каже Москва"): the
    sentence already asks, and the word (with its preposition) does not open a clause of its own ("хто
    такий Поклад і яку посаду обіймає" asks a second question)."""
    if not _asks(glossed):
        return False
    start = index - 1 if index and words[index - 1] in _PREPOSITIONS else index
    return start > 0 and start not in clause_starts and words[start - 1] not in _CLAUSE_CONJUNCTIONS


def _clause_starts(sentence: str) -> set[int]:
    """Word indices where a clause after a comma, dash or colon begins."""
    starts: set[int] = set()
    count = 0
    for clause in _CLAUSE_BREAK.split(sentence):
        if count:
            starts.add(count)
        count += len(tokenize(clause))
    return starts


def _latin_aliases(aliases: Mapping[str, Iterable[str]]) -> dict[str, set[str]]:
    """Every alias as it may be typed in Latin letters, by each transliteration, as skeletons."""
    latin: dict[str, set[str]] = {}
    for key, texts in aliases.items():
        for alias in texts:
            words = tokenize(alias)
            for language in _TRANSLIT:
                latin.setdefault(key, set()).add(" ".join(skeleton(transliterate(w, language)) for w in words))
    return latin


def _genitive_follows(words: Sequence[str], at: int) -> bool:
    """Whether the word after `at` ends as a genitive does and not as an instrumental (a word that does
    not inflect, "США", says neither)."""
    if at + 1 >= len(words):
        return False
    following = words[at + 1]
    return following.endswith(GENITIVE_ENDINGS) and not following.endswith(INSTRUMENTAL_ENDINGS)
