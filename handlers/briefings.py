"""/subscribe HH:MM [Area/City], /unsubscribe, /subscription: daily briefings for a chat."""

from __future__ import annotations

import html

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.ext import ContextTypes

from handlers.briefing_jobs import BriefingService, schedule, unschedule
from handlers.context import reply_lang, state
from knowledge.i18n import N_, tr
from knowledge.store.subscriptions import SubscriptionInputError, parse_local_time, parse_timezone

USAGE = N_("Usage: /subscribe HH:MM [Area/City], e.g. <code>/subscribe 08:30 Europe/Kyiv</code>")
ADMINS_ONLY = N_("Sorry, only this group's administrators can change its daily briefing.")


def _service(context: ContextTypes.DEFAULT_TYPE) -> BriefingService:
    return context.bot_data["briefings"]  # type: ignore[no-any-return]


async def may_manage(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Anyone in a private chat; in groups, chat administrators and the bot's ADMIN_USER_IDS."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return False
    if chat.type == ChatType.PRIVATE or user.id in state(context).admin_ids:
        return True
    member = await context.bot.get_chat_member(chat.id, user.id)
    return member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


async def subscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/subscribe HH:MM [Area/City]: a daily briefing at that local time."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    lang = await reply_lang(update, context)
    args = context.args or []
    if not 1 <= len(args) <= 2:
        await message.reply_text(tr(lang, USAGE))
        return
    try:
        local_time = parse_local_time(args[0])
        timezone = parse_timezone(args[1] if len(args) == 2 else state(context).default_timezone)
    except SubscriptionInputError as exc:
        reason = str(exc)
        await message.reply_text(f"{html.escape(reason[:1].upper() + reason[1:], quote=False)}.\n{tr(lang, USAGE)}")
        return
    if not await may_manage(update, context):
        await message.reply_text(tr(lang, ADMINS_ONLY))
        return
    service = _service(context)
    subscription = await service.subscriptions.set(chat.id, local_time, timezone, service.clock())
    if context.job_queue is not None:
        schedule(context.job_queue, subscription)
    await message.reply_text(
        tr(lang, "Daily briefing set for {time} ({timezone}). Stop it with /unsubscribe.").format(
            time=local_time, timezone=html.escape(timezone, quote=False)
        )
    )


async def unsubscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/unsubscribe: stop this chat's daily briefing."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    lang = await reply_lang(update, context)
    if not await may_manage(update, context):
        await message.reply_text(tr(lang, ADMINS_ONLY))
        return
    removed = await _service(context).subscriptions.remove(chat.id)
    if context.job_queue is not None:
        unschedule(context.job_queue, chat.id)
    await message.reply_text(
        tr(lang, "Daily briefing stopped.") if removed else tr(lang, "This chat has no daily briefing.")
    )


async def subscription(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/subscription: this chat's current setting."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    lang = await reply_lang(update, context)
    current = await _service(context).subscriptions.get(chat.id)
    if current is None:
        await message.reply_text(tr(lang, "This chat has no daily briefing.") + " " + tr(lang, USAGE))
    else:
        await message.reply_text(
            tr(lang, "Daily briefing at {time} ({timezone}).").format(
                time=current.local_time, timezone=html.escape(current.timezone, quote=False)
            )
        )
