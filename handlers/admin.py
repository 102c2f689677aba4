"""Administrator commands: /reload, /stats and /unanswered, for ADMIN_USER_IDS only."""

from __future__ import annotations

import functools
import html
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

from handlers.metrics import flush, metrics_of, total
from handlers.context import reply_lang, state
from knowledge.store.counters import read_counts
from knowledge.store.db import STORE_FAULTS, one_line
from knowledge.i18n import N_, tr
from knowledge.store.live import newer_answerer
from knowledge.question_groups import group_questions
from knowledge.store.unanswered import most_asked

log = logging.getLogger(__name__)
REFUSAL = N_("Sorry, only the bot's administrators can do that.")


Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


def admin_only(command: Callback) -> Callback:
    """Runs `command` for ADMIN_USER_IDS only; everyone else gets a polite refusal."""

    @functools.wraps(command)
    async def guarded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, user = update.effective_message, update.effective_user
        if message is None:
            return
        if user is None or user.id not in state(context).admin_ids:
            await message.reply_text(tr(await reply_lang(update, context), REFUSAL))
            return
        await command(update, context)

    return guarded


@admin_only
async def reload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reload: use exactly the packs the database holds now (`talksbot load` puts them there)."""
    message = update.effective_message
    assert message is not None
    st = state(context)
    lang = await reply_lang(update, context)
    if st.store is None:
        await message.reply_text(tr(lang, "Nothing to reload from."))
        return
    try:
        fresh = await newer_answerer(st.store, st.answerer)
    except STORE_FAULTS as exc:
        log.error("reload failed: %s", one_line(exc))
        await message.reply_text(tr(lang, "Reload failed; the previous knowledge stays in use. See the log."))
        return
    if fresh is not None:
        st.answerer = fresh
    knowledge = st.answerer.knowledge
    packs = ", ".join(knowledge.packs) or tr(lang, "none")
    done = (
        tr(lang, "Reloaded: packs {packs}, {count} facts.")
        if fresh
        else tr(lang, "Already current: packs {packs}, {count} facts.")
    )
    await message.reply_text(done.format(packs=html.escape(packs, quote=False), count=len(knowledge.facts)))


@admin_only
async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stats: questions, answers, declines, briefings and Telegram errors, kept across restarts."""
    message = update.effective_message
    assert message is not None
    st = state(context)
    lang = await reply_lang(update, context)
    metrics = metrics_of(context)
    counts, since = {key: int(value) for key, value in metrics.totals().items()}, tr(lang, "Since start")
    if st.store is not None:
        try:
            await flush(metrics, st.store.sessions)
            counts, since = await read_counts(st.store.sessions), tr(lang, "In all")
        except STORE_FAULTS as exc:
            log.warning("/stats without the stored totals: %s", one_line(exc))
    answered = total(counts, "talksbot_questions", outcome="answered")
    declined = total(counts, "talksbot_questions", outcome="declined")
    lines = [
        tr(lang, "{since}: {questions} questions, {answered} answered, {declined} declined.").format(
            since=since, questions=answered + declined, answered=answered, declined=declined
        ),
        tr(lang, "Briefings: {sent} sent, {failed} failed. Telegram errors: {errors}.").format(
            sent=total(counts, "talksbot_briefings", outcome="sent"),
            failed=total(counts, "talksbot_briefings", outcome="failed"),
            errors=total(counts, "talksbot_telegram_errors"),
        ),
    ]
    if st.store is not None:
        try:
            if st.unanswered is not None:
                await st.unanswered.flush()  # what was declined a moment ago is shown too
            top = await most_asked(st.store.sessions, limit=5)
        except STORE_FAULTS as exc:
            log.warning("/stats without the unanswered log: %s", one_line(exc))
            top = []
            lines.append(tr(lang, "The unanswered-question log cannot be read just now."))
        if top:
            lines.append(tr(lang, "Most asked without an answer:"))
            lines.extend(f"{row.count}× {html.escape(row.text, quote=False)}" for row in top)
    await message.reply_text("\n".join(lines))


@admin_only
async def unanswered(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/unanswered: the ten most asked questions without an answer, near-identical ones grouped."""
    message, st = update.effective_message, state(context)
    assert message is not None
    lang = await reply_lang(update, context)
    if st.unanswered is not None:
        await st.unanswered.flush()  # what was declined a moment ago is shown too
    rows = await most_asked(st.store.sessions, limit=None) if st.store is not None else []
    groups = group_questions(rows, st.answerer.matcher)[:10]
    if not groups:
        await message.reply_text(tr(lang, "No unanswered questions logged."))
        return
    lines = [tr(lang, "Most asked without an answer:")]
    for group in groups:
        near = " " + tr(lang, "(nearest: {intent})").format(intent=group.nearest_intent) if group.nearest_intent else ""
        lines.append(f"{group.count}× {html.escape(group.question, quote=False)}{html.escape(near, quote=False)}")
    await message.reply_text("\n".join(lines))
