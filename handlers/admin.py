"""Administrator commands: /reload and /stats, for ADMIN_USER_IDS only."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ContextTypes

from handlers.context import state
from knowledge.answer import Answerer
from knowledge.db import StoreError
from knowledge.pack import PackError

log = logging.getLogger(__name__)
REFUSAL = "Sorry, only the bot's administrators can do that."


def _is_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    user = update.effective_user
    return user is not None and user.id in state(context).admin_ids


async def reload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reload: load the bundled pack again (if it changed) and re-read the knowledge."""
    message = update.effective_message
    if message is None:
        return
    if not _is_admin(update, context):
        await message.reply_text(REFUSAL)
        return
    st = state(context)
    if st.store is None:
        await message.reply_text("Nothing to reload from.")
        return
    try:
        result = await st.store.load()
        st.answerer = Answerer(await st.store.knowledge())
    except (PackError, StoreError) as exc:
        log.error("reload failed: %s", exc)
        await message.reply_text("Reload failed; the previous knowledge stays in use. See the log.")
        return
    await message.reply_text(f"Reloaded: {result.describe()}.")


async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stats: questions, answers and declines since start."""
    message = update.effective_message
    if message is None:
        return
    if not _is_admin(update, context):
        await message.reply_text(REFUSAL)
        return
    counts = state(context).stats
    await message.reply_text(f"Since start: {counts['questions']} questions, {counts['answers']} answered, "
                             f"{counts['declines']} declined.")
