"""The slash commands: /start, /help, /lead, /delegations, /brief, /sources, /about."""

from __future__ import annotations

import html

from telegram import Update
from telegram.ext import ContextTypes

from handlers.context import reply_lang, state
from handlers.questions import answer
from knowledge.answer import answer_with_fact, format_date, source_link
from knowledge.briefing import compose_briefing
from knowledge.history import newest
from knowledge.i18n import N_, tr


COMMANDS: tuple[tuple[str, str], ...] = (
    ("ask", N_("Ask a question (in groups)")),
    ("lead", N_("Who leads each delegation: /lead [side]")),
    ("delegations", N_("Who is in each delegation")),
    ("brief", N_("A short briefing on the talks")),
    ("subscribe", N_("Daily briefing: /subscribe HH:MM [Area/City]")),
    ("unsubscribe", N_("Stop the daily briefing")),
    ("subscription", N_("Show the daily briefing setting")),
    ("lang", N_("Reply language: /lang uk|ru|en")),
    ("sources", N_("The documents the answers come from")),
    ("help", N_("What I know and how to ask")),
    ("about", N_("About this bot")),
)
"""Descriptions in English; `tr` gives them in each menu's language."""
ADMIN_COMMANDS: tuple[tuple[str, str], ...] = (
    ("reload", N_("Use the packs the database holds now")),
    ("stats", N_("Question counts")),
    ("unanswered", N_("Most asked questions without an answer")),
)


PRIVACY = N_(
    "Privacy: I keep no lasting record of who asks what. I store the text of questions I could not "
    "answer (to improve my sources), each chat's daily-briefing time and reply language, counts of "
    "questions and answers, each incoming message only until it is handled, and, for follow-ups "
    'such as "and Russia\'s?", the topic of your last answered question for a few minutes.'
)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet and show how to ask; a deep link's payload (t.me/<bot>?start=PAYLOAD) opens a topic or asks."""
    if context.args:
        await _deep_link(update, context, context.args[0])
        return
    if update.effective_message:
        lang = await reply_lang(update, context)
        greeting = tr(lang, "Hello! I answer questions about {topic}, always with the source and the exact quote.")
        await update.effective_message.reply_text(
            greeting.format(topic=html.escape(_topic(context, lang), quote=False))
            + "\n\n"
            + _examples(context, lang)
            + "\n\n"
            + tr(lang, "See /help for more.")
        )


def _topic(context: ContextTypes.DEFAULT_TYPE, lang: str) -> str:
    if lang != "en":  # the pack's title is English
        return tr(lang, "the talks")
    title = state(context).answerer.knowledge.title
    return title[:1].lower() + title[1:] if title else "the news"


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """What the bot knows, example questions and the commands."""
    if update.effective_message is None:
        return
    lang = await reply_lang(update, context)
    knowledge = state(context).answerer.knowledge
    as_of = format_date(knowledge.as_of, lang) if knowledge.as_of else tr(lang, "unknown")
    commands = "\n".join(f"/{name} — {html.escape(tr(lang, text), quote=False)}" for name, text in COMMANDS)
    intro = tr(
        lang,
        "I know {count} sourced facts about the talks, as of {date}. "
        "Ask in your own words; in groups, mention me, reply to me or use /ask.",
    )
    await update.effective_message.reply_text(
        f"{intro.format(count=len(knowledge.facts), date=as_of)}\n\n{_examples(context, lang)}\n\n{commands}"
    )


async def _deep_link(update: Update, context: ContextTypes.DEFAULT_TYPE, payload: str) -> None:
    """`lead`, `lead_russia`, `brief`, `sources`...: that command; anything else is a question, with
    `_` or `-` for spaces (payloads allow only letters, digits, `_` and `-`)."""
    words = payload.replace("-", "_").split("_")
    topic = DEEP_LINK_TOPICS.get(words[0].lower())
    if topic is not None:
        context.args = [word for word in words[1:] if word]
        await topic(update, context)
        return
    await answer(update, context, " ".join(word for word in words if word))


def _examples(context: ContextTypes.DEFAULT_TYPE, lang: str) -> str:
    answerer = state(context).answerer
    suggestions = answerer.labels.shown(answerer.matcher.default_suggestions(), lang)
    return tr(lang, "For example:") + "\n" + "\n".join(f"• {html.escape(s, quote=False)}" for s in suggestions)


async def lead(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/lead [side]: who leads that delegation, or every delegation, each with its source."""
    await _per_side(update, context, "lead")


async def delegations(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/delegations [side]: who is in each delegation."""
    await _per_side(update, context, "delegations")


async def _per_side(update: Update, context: ContextTypes.DEFAULT_TYPE, command: str) -> None:
    """The pack's `lead:` or `delegations:` facts (pack.yaml), for one side or every side."""
    message = update.effective_message
    if message is None:
        return
    answerer = state(context).answerer  # one snapshot for the whole reply, even if a reload swaps it
    lang = await reply_lang(update, context)
    facts_by_side: dict[str, str] = getattr(answerer.knowledge.presentation, command)
    if not facts_by_side:
        await message.reply_text(tr(lang, "This knowledge pack has no answer for that."))
        return
    sides = [side for side in facts_by_side if side in answerer.knowledge.entities]
    names = "|".join(answerer.knowledge.entities[side].name for side in sides)
    usage = tr(lang, "Usage: /{command} [{sides}] — without a side, every side.").format(command=command, sides=names)
    if context.args:
        analysis = answerer.matcher.analyzer.analyse(" ".join(context.args).upper())  # "us" here means the US
        mention = analysis.first_of_kind("side")
        if mention is None:
            await message.reply_text(html.escape(usage, quote=False))
            return
        if mention.entity not in sides:
            name = answerer.knowledge.entities[mention.entity].name_in(lang)
            no_answer = tr(lang, "I don't have a sourced answer for {name}.").format(
                name=html.escape(name, quote=False)
            )
            await message.reply_text(f"{no_answer} {html.escape(usage, quote=False)}")
            return
        sides = [mention.entity]
    seen: set[str] = set()
    parts: list[str] = []
    for side in sides:
        fact_key = newest(answerer.knowledge, facts_by_side[side])
        if fact_key in seen or fact_key not in answerer.knowledge.facts:
            continue
        seen.add(fact_key)
        name = answerer.knowledge.entities[side].name_in(lang)
        reply = answer_with_fact("", answerer.knowledge.facts[fact_key], lang=lang)
        parts.append(f"<b>{html.escape(name, quote=False)}</b>\n{reply.html()}")
    await message.reply_text("\n\n".join(parts), do_quote=message.chat.type != "private")


async def brief(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/brief: the briefing lines the pack names, sources at the end."""
    if update.effective_message:
        lang = await reply_lang(update, context)
        await update.effective_message.reply_text(compose_briefing(state(context).answerer.knowledge, lang=lang).html())


async def sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/sources: the documents behind the answers."""
    if update.effective_message is None:
        return
    lang = await reply_lang(update, context)
    as_of = tr(lang, "as of {date}")
    lines = [
        f"• {source_link(s.url, s.title)}, "
        f"{html.escape(s.publisher, quote=False)}, {as_of.format(date=format_date(s.as_of, lang))}"
        for s in state(context).answerer.knowledge.sources
    ]
    await update.effective_message.reply_text(tr(lang, "My sources:") + "\n" + "\n".join(lines))


async def about(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/about: what this bot is and how it answers."""
    if update.effective_message:
        lang = await reply_lang(update, context)
        about = state(context).answerer.knowledge.presentation.about
        if not about or lang != "en":  # the pack's own text is English
            about = tr(
                lang,
                "TalksBot answers only from its sources and shows the exact quote behind every answer. "
                "When its sources don't cover a question it says so rather than guess.",
            )
        await update.effective_message.reply_text(html.escape(about, quote=False) + "\n\n" + tr(lang, PRIVACY))


DEEP_LINK_TOPICS = {
    "lead": lead,
    "delegations": delegations,
    "brief": brief,
    "sources": sources,
    "help": help_command,
    "about": about,
}
