"""The text pipeline takes any Unicode without raising, and agrees with itself."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from knowledge.answer import Answerer
from knowledge.text import normalise, quote_key, raw_words, stem, tokenize
from tests.fuzz.strategies import hostile_text


@given(hostile_text)
def test_normalising_any_text_gives_clean_words_and_is_idempotent(text: str) -> None:
    words = tokenize(text)
    assert all(word and not any(ch.isspace() for ch in word) for word in words)
    assert all(word == word.casefold() for word in words)
    assert normalise(normalise(text)) == normalise(text)
    assert len(raw_words(text)) == len(words)
    key = quote_key(text)
    assert key == key.strip() and "  " not in key


@given(st.text(max_size=60))
def test_stemming_any_word_never_grows_it(word: str) -> None:
    assert len(stem(word)) <= len(word)


@given(hostile_text)
def test_analysing_any_text_finds_only_known_entities(answerer: Answerer, text: str) -> None:
    analysis = answerer.matcher.analyzer.analyse(text)
    assert {mention.entity for mention in analysis.mentions} <= set(answerer.knowledge.entities)
