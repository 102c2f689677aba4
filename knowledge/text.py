"""Text normalisation shared by the pack check, the matcher and the composer.

Pure functions only. Normalisation must treat questions, aliases and phrasings identically, so
everything that compares text goes through `normalise` / `tokenize`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_QUOTE_MARKS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u02bc": "'",
        "\u0060": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
    }
)
_WHITESPACE = re.compile(r"\s+")
_POSSESSIVE = re.compile(r"(?<=\w)'s?\b", re.IGNORECASE)
_NOT_WORD = re.compile(r"[^\w]+")
_APOSTROPHES = {"\u2019", "\u02bc", "'", "`", "\u00b4"}


def fold_quotes(text: str) -> str:
    """Map typographic quote marks and apostrophes to their ASCII forms."""
    return text.translate(_QUOTE_MARKS)


def squash_whitespace(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def quote_key(text: str) -> str:
    """The form in which a quote must match its source: only white space and quote marks are forgiven."""
    return squash_whitespace(fold_quotes(unicodedata.normalize("NFC", text)))


def strip_accents(text: str) -> str:
    """Drop combining marks (Erdoğan -> Erdogan, ё -> е) so spellings with and without them agree."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def raw_words(text: str) -> list[str]:
    """Split into words with case kept: control characters, punctuation and possessives removed."""
    text = unicodedata.normalize("NFKC", text)
    if not text.isprintable():  # the character loop only when there is something to remove
        text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    text = _POSSESSIVE.sub("", fold_quotes(text)).replace("'", "")
    text = strip_accents(text)
    return _NOT_WORD.sub(" ", text.replace("_", " ")).split()


def tokenize(text: str) -> list[str]:
    """Case-folded words without accents, quotes, possessives or punctuation."""
    return [word.casefold() for word in raw_words(text)]


def normalise(text: str) -> str:
    return " ".join(tokenize(text))


@lru_cache(maxsize=1 << 16)  # bounded: questions bring new words for as long as the bot runs
def stem(word: str) -> str:
    """A light English suffix stripper: 'discussed', 'discussing', 'discusses' -> 'discuss'.

    Deliberately conservative (short words and non-Latin words are left alone); it only has to make
    a question and a phrasing agree, not produce dictionary words. Memoised: building an index
    stems the same few thousand words hundreds of thousands of times.
    """
    if len(word) < 5 or not word.isascii() or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 5:
        return word[:-3] + "y"
    if word.endswith("ied"):
        return word[:-3] + "y"
    if word.endswith("ing") and len(word) >= 6:
        base = word[:-3]
        return base[:-1] if len(base) > 3 and base[-1] == base[-2] and base[-1] not in "ls" else base
    if word.endswith("ed") and len(word) >= 6:
        base = word[:-2]
        return base[:-1] if len(base) > 3 and base[-1] == base[-2] and base[-1] not in "ls" else base
    if word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


_ADDRESS = re.compile(r"^\s*(?:@\w+[\s,:]*)+")


def without_address(text: str) -> str:
    """ "@bot who leads?", "@ivan, is Putin coming?": a leading mention says whom the message is for and is
    no part of the question (the bot strips its own name, but not a stand-in or someone else's)."""
    stripped = _ADDRESS.sub("", text)
    return stripped if stripped.strip() else text
