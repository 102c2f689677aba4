"""/lang uk|ru|en: the chat's reply language, kept in the database; /lang alone shows it."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from handlers.briefings import may_manage
from handlers.context import chat_language, reply_lang, state
from knowledge.store.chat_languages import set_chat_language
from knowledge.i18n import N_, tr
from knowledge.language import LANGUAGES

USAGE = N_("Usage: /lang uk|ru|en")
ADMINS_ONLY = N_("Sorry, only this group's administrators can change its language.")
NAMES = {"en": "English", "uk": "українська", "ru": "русский"}
"""Each language by its own name, the same in every reply."""


async def lang_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/lang CODE sets the chat's language (anyone in a private chat; the same rule as /subscribe in
    groups); /lang shows it; anything else gets the usage line."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    args = [arg.casefold() for arg in context.args or []]
    if not args:
        chosen = await chat_language(update, context)
        lang = await reply_lang(update, context)
        if chosen is None:
            text = tr(
                lang,
                "This chat has no language set: I reply in the language of each question, else in yours ({language}).",
            ).format(language=NAMES[lang])
        else:
            text = tr(lang, "This chat's language: {language}.").format(language=NAMES[chosen])
        await message.reply_text(f"{text}\n{tr(lang, USAGE)}")
        return
    if len(args) != 1 or args[0] not in LANGUAGES:
        await message.reply_text(tr(await reply_lang(update, context), USAGE))
        return
    if not await may_manage(update, context):
        await message.reply_text(tr(await reply_lang(update, context), ADMINS_ONLY))
        return
    st = state(context)
    if st.store is None:
        raise RuntimeError("no store")
    new = args[0]
    await set_chat_language(st.store.sessions, chat.id, new)  # a store fault: the error handler says so
    st.chat_languages[chat.id] = new
    await message.reply_text(
        tr(
            new, "I'll reply in {language} in this chat; a question in another language is still answered in its own."
        ).format(language=NAMES[new])
    )
