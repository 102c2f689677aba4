"""Turning replies into Telegram messages: HTML text and "Did you mean ...?" buttons."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from knowledge.answer import Reply
from knowledge.matcher import Matcher

CALLBACK_PREFIX = "fact:"
MAX_CALLBACK_BYTES = 64


def suggestion_keyboard(reply: Reply, matcher: Matcher) -> InlineKeyboardMarkup | None:
    """One button per suggestion; pressing it answers that question (callback data names its fact)."""
    buttons = []
    for suggestion in reply.suggestions[:3]:
        match = matcher.match(suggestion)
        if match.fact is None:
            continue
        data = f"{CALLBACK_PREFIX}{match.fact}"
        if len(data.encode()) > MAX_CALLBACK_BYTES:
            continue
        buttons.append([InlineKeyboardButton(f"Did you mean: {suggestion}"[:64], callback_data=data)])
    return InlineKeyboardMarkup(buttons) if buttons else None


def reply_html(reply: Reply, with_buttons: bool) -> str:
    """With buttons the suggestions are on the buttons, not repeated in the text."""
    return reply.html(with_suggestions=not with_buttons)
