"""Chat housekeeping: a group that becomes a supergroup keeps its state."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes


async def migrated(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Move per-chat state (follow-ups, answered questions) to the new supergroup id."""
    message = update.effective_message
    if message is not None and message.migrate_to_chat_id:
        context.application.migrate_chat_data(message=message)
