""" "Did you mean ...?" buttons and inline mode."""

from __future__ import annotations

import asyncio
from uuid import uuid4

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.ext import ContextTypes

from handlers.context import reply_lang, state
from handlers.rendering import CALLBACK_PREFIX
from knowledge.answer import compose_answer
from knowledge.i18n import tr
from knowledge.language import CROSSLINGUAL, detect_language

INLINE_RESULTS = 5


async def suggestion_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the suggested question; stale or forged button data gets a polite note."""
    query = update.callback_query
    if query is None:
        return
    answerer = state(context).answerer
    lang = await reply_lang(update, context)
    data = query.data or ""
    fact_key = data[len(CALLBACK_PREFIX) :] if data.startswith(CALLBACK_PREFIX) else ""
    fact = answerer.knowledge.facts.get(fact_key)
    if fact is None:
        await query.answer(tr(lang, "That button has expired. Please ask again."))
        return
    await query.answer()
    reply = answerer.fact_reply(fact_key, lang=lang)
    if query.message is not None:
        await context.bot.send_message(query.message.chat.id, reply.html())


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`@Bot who leads ukraine` in any chat: up to five answer cards, best first, in the query's language
    (else the user's); a Ukrainian or Russian query gets the one card its question would get."""
    query = update.inline_query
    if query is None:
        return
    answerer = state(context).answerer
    lang = await reply_lang(update, context, query.query)
    if detect_language(query.query) in CROSSLINGUAL:  # the one answer a question in the chat would get
        match = await asyncio.to_thread(answerer.match, query.query)
        matches = [match] if match.answered else []
    else:
        matches = answerer.matcher.candidates(query.query, limit=INLINE_RESULTS)
    results = []
    for match in matches:
        reply = compose_answer(match, answerer.knowledge, lang)
        source = reply.citations[0]
        results.append(
            InlineQueryResultArticle(
                id=uuid4().hex,
                title=reply.answer[:100],
                description=f"{source.publisher}, {source.as_of.isoformat()} — {source.title}"[:200],
                input_message_content=InputTextMessageContent(reply.html(), parse_mode="HTML"),
            )
        )
    await query.answer(results, cache_time=60)


async def unknown_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Buttons we did not make (or no longer understand)."""
    if update.callback_query:
        await update.callback_query.answer(
            tr(await reply_lang(update, context), "Sorry, I don't recognise that button.")
        )
