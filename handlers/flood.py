"""Flood control, ahead of every other handler (group -1): one notice, then silence."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes, filters

from handlers.flood_gate import Verdict
from handlers.context import log_stopped_update, reply_lang, state
from handlers.questions import ADDRESSED
from knowledge.i18n import N_, tr

SLOW_DOWN = N_("You're asking faster than I can answer. Please wait a minute, then ask again.")
QUESTIONS = filters.UpdateType.MESSAGE & (filters.ChatType.PRIVATE | filters.COMMAND | ADDRESSED)
"""What counts: messages to the bot, not group chatter it ignores anyway."""


async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Let the update through, or stop it here (after one "slow down" notice per flood)."""
    user = update.effective_user
    if user is None:
        return
    verdict = state(context).flood.check(user.id)
    if verdict is Verdict.ALLOW:
        return
    if verdict is Verdict.WARN and update.effective_message is not None:
        await update.effective_message.reply_text(tr(await reply_lang(update, context), SLOW_DOWN))
    context.outcome = "flooded"  # type: ignore[attr-defined]  # CallbackContext allows attributes
    log_stopped_update(update, context)
    raise ApplicationHandlerStop
