"""Questions in text: private messages, addressed group messages, /ask, edits and follow-ups."""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import logging
import re
import time

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest
from telegram.ext import ContextTypes, filters

from handlers.metrics import note_answer
from handlers.context import recall_match, recall_reply, remember_match, remember_reply, reply_lang, state
from handlers.rendering import render
from knowledge.answer import Answerer
from knowledge.conversation import follow_up
from knowledge.history import history_follow_up
from knowledge.i18n import tr
from knowledge.language import CROSSLINGUAL, detect_language
from knowledge.matcher import Match

log = logging.getLogger(__name__)


class AddressedToBot(filters.MessageFilter):
    """A group message that mentions the bot or replies to one of the bot's messages."""

    def filter(self, message: Message) -> bool:
        bot = message.get_bot()
        replied = message.reply_to_message
        if replied is not None and replied.from_user is not None and replied.from_user.id == bot.id:
            return True
        text = message.text or message.caption or ""
        return bool(bot.username) and f"@{bot.username.casefold()}" in text.casefold()


ADDRESSED = AddressedToBot()


def strip_mention(text: str, username: str | None) -> str:
    if not username:
        return text.strip()
    return re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE).strip()


def is_group(message: Message) -> bool:
    return message.chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)


async def decide(answerer: Answerer, question: str) -> Match:
    """The matcher's decision, off the event loop for Ukrainian and Russian questions: the first one
    loads the sentence encoder (and may encode the pack), which must not stall other chats."""
    if detect_language(question) in CROSSLINGUAL:
        return await asyncio.to_thread(answerer.match, question)
    return answerer.match(question)


async def answer(
    update: Update, context: ContextTypes.DEFAULT_TYPE, question: str, reply_to: Message | None = None
) -> None:
    """Answer `question` in the update's chat, remembering it for follow-ups and edits."""
    message = update.effective_message
    user = update.effective_user
    if message is None:
        return
    st = state(context)
    answerer = st.answerer  # one snapshot per question: a reload swaps st.answerer, never this one
    user_id = user.id if user else 0
    chat_id = message.chat_id
    matcher = answerer.matcher
    started = time.perf_counter()
    previous = await recall_match(context, chat_id, user_id)
    match = (
        follow_up(matcher, previous, question)
        or history_follow_up(answerer.knowledge, previous, question)
        or await decide(answerer, question)
    )
    reply = answerer.reply(match, await reply_lang(update, context, question))
    note_answer(context, reply.answered, time.perf_counter() - started, reply.lang)
    if not reply.answered and st.unanswered is not None:
        st.unanswered.record(question, dt.datetime.now(dt.timezone.utc))  # written later, with others
    if match.intent is not None:
        await remember_match(
            context, chat_id, user_id, match
        )  # before the send: the next message may come before it returns
    text, keyboard = render(reply, matcher)
    target = reply_to or message
    sent = await target.reply_text(text, reply_markup=keyboard, do_quote=is_group(message) or reply_to is not None)
    remember_reply(context, message.message_id, sent.message_id)


async def private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any text in a private chat is a question."""
    if update.effective_message and update.effective_message.text is not None:
        await answer(update, context, update.effective_message.text)


async def addressed_in_group(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group message that mentions the bot or replies to it is a question."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    question = strip_mention(message.text, context.bot.username)
    if not question:
        lang = await reply_lang(update, context)
        await message.reply_text(
            tr(lang, "Ask me a question, e.g. <i>{example}</i>").format(example=example(context, lang)), do_quote=True
        )
        return
    await answer(update, context, question)


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ask QUESTION, or /ask as a reply to someone's question."""
    message = update.effective_message
    if message is None:
        return
    question = " ".join(context.args or [])
    replied = message.reply_to_message
    if not question and replied is not None and (replied.text or "").strip():
        await answer(update, context, replied.text or "", reply_to=replied)
        return
    if not question:
        lang = await reply_lang(update, context)
        await message.reply_text(
            tr(lang, "Usage: /ask QUESTION, e.g. <code>/ask {example}</code>").format(example=example(context, lang))
        )
        return
    await answer(update, context, question)


async def edited_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An edited question we answered before: edit our reply instead of posting a second one."""
    message = update.edited_message
    if message is None or message.text is None:
        return
    reply_id = recall_reply(context, message.message_id)
    if reply_id is None:
        return  # never answered (e.g. group chatter): stay quiet
    st = state(context)
    question = strip_mention(message.text, context.bot.username) if is_group(message) else message.text
    if question.startswith("/ask"):
        question = question.partition(" ")[2]
    answerer = st.answerer
    reply = answerer.reply(await decide(answerer, question), await reply_lang(update, context, question))
    text, keyboard = render(reply, answerer.matcher)
    try:
        await context.bot.edit_message_text(text, chat_id=message.chat_id, message_id=reply_id, reply_markup=keyboard)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos and the like in a private chat: say what works instead."""
    if update.effective_message:
        lang = await reply_lang(update, context)
        await update.effective_message.reply_text(
            tr(lang, "I answer questions written as text, e.g. <i>{example}</i> — or try /help.").format(
                example=example(context, lang)
            )
        )


def example(context: ContextTypes.DEFAULT_TYPE, lang: str) -> str:
    """A question the loaded pack answers (its first suggestion, in `lang`), escaped for Telegram HTML."""
    answerer = state(context).answerer
    suggestions = answerer.labels.shown(answerer.matcher.default_suggestions(), lang)
    return html.escape(suggestions[0] if suggestions else tr(lang, "what do you know?"), quote=False)
