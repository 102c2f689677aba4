"""The error handler: log with context, never crash, never show a traceback to users.

A database fault (read-only, full disk, file deleted, server stopped) gets a short reply, so a
/subscribe is never met with silence; answering questions does not need the database.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ContextTypes

from handlers.context import language_hint
from knowledge.store.db import STORE_FAULTS, one_line
from knowledge.i18n import N_, tr
from knowledge.language import reply_language

log = logging.getLogger(__name__)
STORE_TROUBLE = N_("Sorry, I couldn't save that just now. Please try again later.")


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the exception with the update's chat and user; the bot carries on."""
    chat = user = None
    message = None
    if isinstance(update, Update):
        chat = update.effective_chat.id if update.effective_chat else None
        user = update.effective_user.id if update.effective_user else None
        message = update.effective_message
    if isinstance(context.error, STORE_FAULTS):
        log.error("database failed (update chat=%s user=%s): %s", chat, user, one_line(context.error))
        if message is not None:
            lang = reply_language("", hint=await language_hint(update, context))  # type: ignore[arg-type]
            await message.reply_text(tr(lang, STORE_TROUBLE))
        return
    log.error("handler failed (update chat=%s user=%s)", chat, user, exc_info=context.error)
