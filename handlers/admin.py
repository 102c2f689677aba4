"""Administrator commands: /reload and /stats, for ADMIN_USER_IDS only."""

from __future__ import annotations

import functools
import html
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

from handlers.context import state
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
    """/stats: questions, answers and declines since start."""
    message = update.effective_message
    assert message is not None
    st = state(context)
    counts = st.stats
    lines = [f"Since start: {counts['questions']} questions, {counts['answers']} answered, "
             f"{counts['declines']} declined."]
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
