"""The base lexicon: English paraphrase knowledge that every pack is read with.

Stop words, synonyms, question shapes and chat shorthand are knowledge of English, not of one event,
so they live with the engine (`base_lexicon.yaml` beside this file); a pack's own lexicon adds only
the terms of its event, and where it maps a variant differently, the pack wins.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

BASE_LEXICON_FILE = Path(__file__).with_name("base_lexicon.yaml")


@lru_cache(maxsize=1)
def base_lexicon() -> tuple[frozenset[str], dict[str, str]]:
    """The base stop words, and variant -> canonical word, read once per process."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(BASE_LEXICON_FILE.read_text(encoding="utf-8"), Loader=loader)
    synonyms = {
        str(variant): str(canonical) for canonical, variants in data["synonyms"].items() for variant in variants
    }
    return frozenset(str(word) for word in data["stopwords"]), synonyms


def with_base(stopwords: frozenset[str], synonyms: dict[str, str]) -> tuple[frozenset[str], dict[str, str]]:
    """A pack's lexicon on top of the base one."""
    base_stopwords, base_synonyms = base_lexicon()
    return base_stopwords | stopwords, {**base_synonyms, **synonyms}
