"""The splitter turns any valid Telegram HTML into messages that each parse, fit and keep the text."""

from __future__ import annotations

import html
from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from bot.splitting import MAX_CHARS, split_html, telegram_length
from tests.fuzz.strategies import hostile_text
from tests.support.telegram_html import check_telegram_html

_TAGS = ["b", "i", "u", "s", "code", "pre", "blockquote", "tg-spoiler"]


def _element(children: list[str], tag: str, href: str) -> str:
    body = "".join(children)
    if tag == "a":
        return f'<a href="{html.escape(href, quote=True)}">{body}</a>'
    return f"<{tag}>{body}</{tag}>"


texts = hostile_text.map(lambda text: html.escape(text, quote=False))
telegram_html = st.recursive(
    texts,
    lambda inner: st.builds(
        _element,
        st.lists(inner, min_size=1, max_size=6),
        st.sampled_from([*_TAGS, "a"]),
        st.text(max_size=30).map(lambda text: "https://example.org/" + "".join(text.split())),
    ),
    max_leaves=12,
)
"""Valid Telegram HTML: escaped hostile text inside nested allowed tags, up to ~100,000 characters."""


def text_content(markup: str) -> str:
    """The characters a reader sees, white space aside (a part of only white space is dropped)."""
    seen: list[str] = []
    parser = HTMLParser(convert_charrefs=True)
    parser.handle_data = seen.append  # type: ignore[method-assign]
    parser.feed(markup)
    parser.close()
    return "".join("".join(seen).split())


@given(telegram_html)
def test_splitting_any_valid_html_gives_valid_parts_that_fit_and_keep_every_character(markup: str) -> None:
    check_telegram_html(markup)
    parts = split_html(markup)
    for part in parts:
        check_telegram_html(part)
        assert telegram_length(part) <= MAX_CHARS
    assert text_content("".join(parts)) == text_content(markup)
    if telegram_length(markup) <= MAX_CHARS:
        assert parts == [markup]


@given(telegram_html, st.integers(min_value=1024, max_value=MAX_CHARS))
def test_splitting_at_any_limit_keeps_parts_within_it(markup: str, limit: int) -> None:
    for part in split_html(markup, limit=limit):
        check_telegram_html(part)
        assert telegram_length(part) <= limit
