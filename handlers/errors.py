"""The error handler: log with context, never crash, never show a traceback to users."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ContextTypes

log = logging.getLogger(__name__)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the exception with the update's chat and user; the bot carries on."""
    chat = user = None
    if isinstance(update, Update):
        chat = update.effective_chat.id if update.effective_chat else None
        user = update.effective_user.id if update.effective_user else None
    log.error("handler failed (update chat=%s user=%s)", chat, user, exc_info=context.error)
