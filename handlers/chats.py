"""Chat housekeeping: a group that becomes a supergroup keeps its state."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from handlers.briefing_jobs import BriefingService, schedule, unschedule


async def migrated(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Move per-chat state (follow-ups, answered questions, the daily briefing) to the new supergroup id."""
    message = update.effective_message
    if message is None or not message.migrate_to_chat_id:
        return
    context.application.migrate_chat_data(message=message)
    service: BriefingService | None = context.bot_data.get("briefings")
    if service is not None:
        await service.subscriptions.move(message.chat_id, message.migrate_to_chat_id)
        moved = await service.subscriptions.get(message.migrate_to_chat_id)
        if moved is not None and context.job_queue is not None:
            unschedule(context.job_queue, message.chat_id)
            schedule(context.job_queue, moved)
