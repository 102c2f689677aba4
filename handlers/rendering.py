"""Turning replies into Telegram messages: HTML text and "Did you mean ...?" buttons."""

from __future__ import annotations

import dataclasses

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from knowledge.answer import Reply
from knowledge.i18n import tr
from knowledge.matcher import Matcher

CALLBACK_PREFIX = "fact:"
MAX_MESSAGE_CHARS = 4096
MAX_CALLBACK_BYTES = 64


def suggestion_keyboard(reply: Reply, matcher: Matcher) -> InlineKeyboardMarkup | None:
    """One button per suggestion; pressing it answers that question (callback data names its fact).
    The label is in the reply's language; the fact is the one the suggestion as the pack words it leads to."""
    buttons = []
    asked = reply.suggested_questions or reply.suggestions
    for suggestion, question in list(zip(reply.suggestions, asked))[:3]:
        fact = matcher.fact_of_suggestion(question)
        if fact is None:
            continue
        data = f"{CALLBACK_PREFIX}{fact}"
        if len(data.encode()) > MAX_CALLBACK_BYTES:
            continue
        label = tr(reply.lang, "Did you mean: {suggestion}").format(suggestion=suggestion)
        buttons.append([InlineKeyboardButton(label[:64], callback_data=data)])
    return InlineKeyboardMarkup(buttons) if buttons else None


def render(reply: Reply, matcher: Matcher) -> tuple[str, InlineKeyboardMarkup | None]:
    """The message text and buttons for a reply. Declines get "Did you mean" buttons, and then the
    suggestions are not repeated in the text; a reply too long for one message keeps its first quote."""
    keyboard = None if reply.answered else suggestion_keyboard(reply, matcher)
    text = reply.html(with_suggestions=keyboard is None)
    if len(text) > MAX_MESSAGE_CHARS:
        text = dataclasses.replace(reply, citations=reply.citations[:1]).html(with_suggestions=keyboard is None)
    return text, keyboard
