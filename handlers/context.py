"""What handlers share through `bot_data`: the answerer and the store (the counters: `handlers.metrics`).

Kept in one place so handlers never reach into each other's state.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import Application, ContextTypes

from handlers.flood_gate import FloodGate
from knowledge.answer import Answerer
from knowledge.store.chat_languages import get_chat_language
from knowledge.store.db import STORE_FAULTS, one_line
from knowledge.store.follow_ups import FollowUps
from knowledge.language import reply_language
from knowledge.matcher import Match
from knowledge.store.store import Store
from knowledge.store.unanswered import UnansweredLog

log = logging.getLogger(__name__)

FOLLOW_UP_SECONDS = 300
"""How long a question stays the context for a follow-up like "and Russia's?"."""
MAX_REMEMBERED_REPLIES = 200
CHAT_STATE_SECONDS = 3600.0
"""A chat's follow-up context and reply links are dropped after this long without a question."""
clock: Callable[[], float] = time.monotonic
"""The clock follow-ups are timed by; tests replace it instead of waiting."""
shared_clock: Callable[[], float] = time.time
"""The clock of follow-ups kept in the database: a wall clock, which replicas share; tests replace it."""
LOG_UPDATE = "log_update"
"""`bot_data` key of the bot's one INFO line per update (`bot.tracking` registers it there)."""


def log_stopped_update(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The update's log line, for a handler that stops it early: the last group, which logs every
    other update, is skipped then."""
    log_update: Callable[[object, ContextTypes.DEFAULT_TYPE], None] | None = context.bot_data.get(LOG_UPDATE)
    if log_update is not None:
        log_update(update, context)


@dataclass
class BotState:
    answerer: Answerer
    store: Store | None
    admin_ids: frozenset[int]
    default_timezone: str = "UTC"
    flood: FloodGate = field(default_factory=FloodGate)
    follow_ups: FollowUps | None = None
    """Set when follow-up context is kept in the database (shared by replicas); else chat_data only."""
    chat_languages: dict[int, str | None] = field(default_factory=dict)
    """Each chat's /lang as read from the store (None: not set), so a question costs no query."""
    shared_database: bool = False
    """Replicas share the database: /lang may be set on another, so the cache only stands in for faults."""
    all_chat_languages: bool = False
    """`chat_languages` holds every chat's /lang (read at start, one process alone on the database):
    a chat not in it has none, and a question costs no query."""
    unanswered: UnansweredLog | None = None
    """Declined questions, counted in memory and written to the store together (None: not logged)."""


def state(context: ContextTypes.DEFAULT_TYPE) -> BotState:
    return context.bot_data["state"]  # type: ignore[no-any-return]


async def chat_language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """The chat's /lang, or None; a store fault means none (questions never need the database)."""
    chat = update.effective_chat
    st = state(context)
    if chat is None or st.store is None:
        return None
    if st.all_chat_languages and not st.shared_database:
        return st.chat_languages.get(chat.id)
    if chat.id not in st.chat_languages or st.shared_database:
        try:
            st.chat_languages[chat.id] = await get_chat_language(st.store.sessions, chat.id)
        except STORE_FAULTS as exc:
            log.warning("chat language not read: %s", one_line(exc))
            return st.chat_languages.get(chat.id)
    return st.chat_languages[chat.id]


async def language_hint(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """What decides the reply language when the text does not: the chat's /lang, else the user's
    Telegram language."""
    chosen = await chat_language(update, context)
    if chosen is not None:
        return chosen
    user = update.effective_user
    return user.language_code if user else None


async def reply_lang(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str = "") -> str:
    """The reply's language: the question's own when it is clear, else the chat's /lang, else the
    user's Telegram language, else English."""
    return reply_language(question, hint=await language_hint(update, context))


async def remember_match(context: ContextTypes.DEFAULT_TYPE, chat_id: int, user_id: int, match: Match) -> None:
    """Per chat and user: the last question, for follow-ups. Always in chat_data; also in the database
    when it is shared, so the next message may go to any replica."""
    if context.chat_data is not None:
        context.chat_data.setdefault("last_match", {})[user_id] = (clock(), match)
        context.chat_data["seen"] = clock()
    follow_ups = state(context).follow_ups
    if follow_ups is not None:
        try:
            await follow_ups.remember(chat_id, user_id, match, shared_clock())
        except STORE_FAULTS as exc:
            log.warning("follow-up context kept in memory only: %s", one_line(exc))


async def recall_match(context: ContextTypes.DEFAULT_TYPE, chat_id: int, user_id: int) -> Match | None:
    """The last question of this chat and user within FOLLOW_UP_SECONDS: from the database when it is
    shared (another replica may have answered it), from chat_data when not or when the database fails."""
    follow_ups = state(context).follow_ups
    if follow_ups is not None:
        try:
            return await follow_ups.recall(chat_id, user_id, shared_clock(), FOLLOW_UP_SECONDS)
        except STORE_FAULTS as exc:
            log.warning("follow-up context read from memory: %s", one_line(exc))
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
    context.chat_data["seen"] = clock()
    while len(replies) > MAX_REMEMBERED_REPLIES:
        replies.pop(next(iter(replies)))


def recall_reply(context: ContextTypes.DEFAULT_TYPE, question_id: int) -> int | None:
    if context.chat_data is None:
        return None
    return context.chat_data.get("replies", {}).get(question_id)  # type: ignore[no-any-return]


def forget_idle_chats(application: Application) -> int:
    """Drop the state of every chat without a question for CHAT_STATE_SECONDS (PTB keeps chat_data
    for every chat it has seen, forever); returns how many were dropped."""
    cutoff = clock() - CHAT_STATE_SECONDS
    idle = [chat_id for chat_id, data in application.chat_data.items() if data.get("seen", -math.inf) < cutoff]
    for chat_id in idle:
        application.drop_chat_data(chat_id)
    return len(idle)


async def forget_old_follow_ups(follow_ups: FollowUps) -> int:
    """Drop follow-up context older than FOLLOW_UP_SECONDS from the database; returns how many."""
    return await follow_ups.forget_before(shared_clock() - FOLLOW_UP_SECONDS)
