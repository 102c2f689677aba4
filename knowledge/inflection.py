"""Finding words of a list in Ukrainian or Russian text, whatever their case ending.

Ukrainian and Russian inflect names: Умєров is asked about as Умєрова, Умєровим; Мединський as
Мединського; Україна as України, Україною. A listed word matches a text word that starts with the
word's stem (the word without its final vowels, at least four letters) and adds at most a short
ending; long stems also forgive one typo ("Кисиця" for Кислиця). Forms whose stem changes (Київ,
Києва) are listed as words of their own. Works on Latin transliterations the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from knowledge.text import tokenize

_ENDING_VOWELS = frozenset("аеєиіїоуюяыэьйaeiouy")
MIN_STEM = 4
MAX_ENDING = 4
TYPO_FROM = 6
"""Stems at least this long forgive one edit."""


def word_stem(word: str) -> str:
    """`word` without its final vowels (and soft sign), keeping at least MIN_STEM letters."""
    stem = word
    while len(stem) > MIN_STEM and stem[-1] in _ENDING_VOWELS:
        stem = stem[:-1]
    return stem


def inflected_form_of(text_word: str, listed_word: str) -> bool:
    """Whether `text_word` (normalised) is an inflected form, or a near typo, of `listed_word`."""
    if text_word == listed_word:
        return True
    if len(listed_word) < MIN_STEM:
        return False
    stem = word_stem(listed_word)
    if text_word.startswith(stem):
        return len(text_word) - len(stem) <= MAX_ENDING
    if len(stem) < TYPO_FROM or text_word[:1] != stem[:1]:
        return False
    return any(
        Levenshtein.distance(text_word[:size], stem, score_cutoff=1) <= 1 and len(text_word) - size <= MAX_ENDING
        for size in (len(stem) - 1, len(stem), len(stem) + 1)
        if size <= len(text_word)
    )


@dataclass(frozen=True)
class Found:
    key: str
    start: int
    """Index of the first word of the match in the text's words."""
    length: int


class InflectedPhrases:
    """Phrases (one or more words) under keys; finds them in text, longest match first."""

    def __init__(self, phrases: Mapping[str, Iterable[str]]) -> None:
        entries = [(tuple(tokenize(phrase)), key) for key, texts in phrases.items() for phrase in texts]
        self._entries = sorted((e for e in entries if e[0]), key=lambda e: -len(e[0]))
        self._first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for words, key in self._entries:
            self._first.setdefault(words[0][:2], []).append((words, key))

    def find(self, text: str) -> list[Found]:
        """Every phrase found, in text order; a word belongs to one phrase at most."""
        words = tokenize(text)
        found: list[Found] = []
        i = 0
        while i < len(words):
            hit = self._at(words, i)
            if hit is None:
                i += 1
                continue
            found.append(hit)
            i += hit.length
        return found

    def keys(self, text: str) -> list[str]:
        """The keys found, in order of first mention, each once."""
        return list(dict.fromkeys(f.key for f in self.find(text)))

    def _at(self, words: list[str], i: int) -> Found | None:
        for phrase, key in self._first.get(words[i][:2], ()):
            if i + len(phrase) <= len(words) and all(
                inflected_form_of(words[i + k], part) for k, part in enumerate(phrase)
            ):
                return Found(key, i, len(phrase))
        return None
