"""Any question gets an answer or a decline, and every reply is Telegram HTML that fits after splitting."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.splitting import MAX_CHARS, split_html, telegram_length
from handlers.rendering import render
from knowledge.answer import Answerer, Citation, Reply
from knowledge.conversation import follow_up
from tests.fuzz.conftest import scaled
from tests.fuzz.strategies import hostile_text
from tests.support.telegram_html import check_telegram_html


def assert_sendable(html_text: str) -> list[str]:
    """What the bot would send: each part valid Telegram HTML within the limit, none empty."""
    check_telegram_html(html_text)
    parts = split_html(html_text)
    assert parts
    for part in parts:
        check_telegram_html(part)
        assert 0 < telegram_length(part) <= MAX_CHARS
    return parts


def assert_reply_renders(reply: Reply, answerer: Answerer) -> None:
    assert reply.answer.strip()
    text, keyboard = render(reply, answerer.matcher)
    assert_sendable(text)
    assert_sendable(reply.html())
    if keyboard is not None:
        for row in keyboard.inline_keyboard:
            for button in row:
                assert len(button.text) <= 64 and len((button.callback_data or "").encode()) <= 64
    assert isinstance(reply.plain_text(), str)
    assert json.loads(json.dumps(reply.to_json(), ensure_ascii=False)) == reply.to_json()


@settings(max_examples=scaled(100))  # Ukrainian and Russian questions go through a neural encoder
@given(hostile_text)
def test_any_question_gets_an_answer_or_a_decline_that_renders(answerer: Answerer, question: str) -> None:
    reply = answerer.ask(question)
    if reply.answered:
        assert reply.citations, "an answer without a source"
        assert reply.fact in answerer.knowledge.facts
    else:
        assert not reply.citations
    assert_reply_renders(reply, answerer)


@settings(max_examples=scaled(100))
@given(
    st.sampled_from(["who leads Ukraine's team?", "who heads the Russian delegation", "where are the talks"]),
    hostile_text,
)
def test_any_follow_up_after_a_real_question_renders(answerer: Answerer, first: str, second: str) -> None:
    previous = answerer.matcher.match(first)
    match = follow_up(answerer.matcher, previous, second) or answerer.matcher.match(second)
    reply = answerer.ask(second) if match.fact is None else answerer.fact_reply(match.fact, second)
    assert_reply_renders(reply, answerer)


urls = hostile_text | st.builds(
    lambda scheme, rest: scheme + "".join(rest.split()),
    st.sampled_from(["https://", "http://", "HTTPS://"]),
    hostile_text,
)
citations = st.builds(
    Citation,
    title=hostile_text,
    publisher=hostile_text,
    url=urls,
    as_of=st.dates(min_value=dt.date(1900, 1, 1)),
    quote=hostile_text,
)
replies = st.builds(
    Reply,
    question=hostile_text,
    answered=st.booleans(),
    answer=hostile_text.filter(str.strip),
    citations=st.lists(citations, max_size=4).map(tuple),
    suggestions=st.lists(hostile_text, max_size=4).map(tuple),
    confidence=st.floats(0, 100),
    intent=st.none() | hostile_text,
)


@given(replies)
def test_a_reply_of_any_text_escapes_it_all_and_splits_into_valid_messages(reply: Reply) -> None:
    """Pack text is checked when loaded, but the renderer must not depend on it: every piece is escaped."""
    assert_sendable(reply.html())
    assert_sendable(reply.html(with_suggestions=False))
    assert isinstance(reply.plain_text(), str)
    json.dumps(reply.to_json(), ensure_ascii=False)
