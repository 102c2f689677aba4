"""Administrator commands: /reload and /stats, for ADMIN_USER_IDS only."""

from __future__ import annotations

import functools
import html
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

from bot.metrics import flush, total
from bot.tracking import metrics_of
from handlers.context import state
from knowledge.counters import read_counts
from knowledge.db import STORE_FAULTS, StoreError, one_line
from knowledge.pack import PackError
from knowledge.unanswered import most_asked

log = logging.getLogger(__name__)
REFUSAL = "Sorry, only the bot's administrators can do that."


Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


def admin_only(command: Callback) -> Callback:
    """Runs `command` for ADMIN_USER_IDS only; everyone else gets a polite refusal."""

    @functools.wraps(command)
    async def guarded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, user = update.effective_message, update.effective_user
        if message is None:
            return
        if user is None or user.id not in state(context).admin_ids:
            await message.reply_text(REFUSAL)
            return
        await command(update, context)

    return guarded


@admin_only
async def reload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reload: load the bundled pack again (if it changed) and re-read the knowledge."""
    message = update.effective_message
    assert message is not None
    st = state(context)
    if st.store is None:
        await message.reply_text("Nothing to reload from.")
        return
    try:
        result = await st.store.load()
        st.answerer = await st.store.fresh_answerer()
    except (PackError, StoreError) as exc:
        log.error("reload failed: %s", exc)
        await message.reply_text("Reload failed; the previous knowledge stays in use. See the log.")
        return
    await message.reply_text(f"Reloaded: {result.describe()}.")


@admin_only
async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stats: questions, answers, declines, briefings and Telegram errors, kept across restarts."""
    message = update.effective_message
    assert message is not None
    st = state(context)
    metrics = metrics_of(context)
    counts, since = {key: int(value) for key, value in metrics.totals().items()}, "Since start"
    if st.store is not None:
        try:
            await flush(metrics, st.store.sessions)
            counts, since = await read_counts(st.store.sessions), "In all"
        except STORE_FAULTS as exc:
            log.warning("/stats without the stored totals: %s", one_line(exc))
    answered = total(counts, "talksbot_questions", outcome="answered")
    declined = total(counts, "talksbot_questions", outcome="declined")
    lines = [f"{since}: {answered + declined} questions, {answered} answered, {declined} declined.",
             f"Briefings: {total(counts, 'talksbot_briefings', outcome='sent')} sent, "
             f"{total(counts, 'talksbot_briefings', outcome='failed')} failed. "
             f"Telegram errors: {total(counts, 'talksbot_telegram_errors')}."]
    if st.store is not None:
        try:
            top = await most_asked(st.store.sessions, limit=5)
        except STORE_FAULTS as exc:
            log.warning("/stats without the unanswered log: %s", one_line(exc))
            top = []
            lines.append("The unanswered-question log cannot be read just now.")
        if top:
            lines.append("Most asked without an answer:")
            lines.extend(f"{row.count}× {html.escape(row.text, quote=False)}" for row in top)
    await message.reply_text("\n".join(lines))
