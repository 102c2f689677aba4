"""What handlers share through `bot_data`: the answerer and the store (the counters: `bot.tracking`).

Kept in one place so handlers never reach into each other's state.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from telegram.ext import ContextTypes

from knowledge.answer import Answerer
from knowledge.matcher import Match
from knowledge.service import Store

FOLLOW_UP_SECONDS = 300
"""How long a question stays the context for a follow-up like "and Russia's?"."""
MAX_REMEMBERED_REPLIES = 200
clock: Callable[[], float] = time.monotonic
"""The clock follow-ups are timed by; tests replace it instead of waiting."""


@dataclass
class BotState:
    answerer: Answerer
    store: Store | None
    admin_ids: frozenset[int]
    default_timezone: str = "UTC"


def state(context: ContextTypes.DEFAULT_TYPE) -> BotState:
    return context.bot_data["state"]  # type: ignore[no-any-return]


def remember_match(context: ContextTypes.DEFAULT_TYPE, user_id: int, match: Match) -> None:
    """Per chat and user: the last question, for follow-ups (chat_data is per chat already)."""
    if context.chat_data is not None:
        context.chat_data.setdefault("last_match", {})[user_id] = (clock(), match)


def recall_match(context: ContextTypes.DEFAULT_TYPE, user_id: int) -> Match | None:
    if context.chat_data is None:
        return None
    stored = context.chat_data.get("last_match", {}).get(user_id)
    if stored is None or clock() - stored[0] > FOLLOW_UP_SECONDS:
        return None
    return stored[1]  # type: ignore[no-any-return]


def remember_reply(context: ContextTypes.DEFAULT_TYPE, question_id: int, reply_id: int) -> None:
    """Which of our messages answered which question, so an edited question edits our reply."""
    if context.chat_data is None:
        return
    replies: dict[int, Any] = context.chat_data.setdefault("replies", {})
    replies[question_id] = reply_id
    while len(replies) > MAX_REMEMBERED_REPLIES:
        replies.pop(next(iter(replies)))


def recall_reply(context: ContextTypes.DEFAULT_TYPE, question_id: int) -> int | None:
    if context.chat_data is None:
        return None
    return context.chat_data.get("replies", {}).get(question_id)  # type: ignore[no-any-return]
