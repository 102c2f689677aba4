"""Follow-up questions: "and Russia's?" right after "who leads Ukraine's team?".

Pure logic over matcher decisions; where the previous match is kept (per chat and user, with an
expiry) is the Telegram layer's business.
"""

from __future__ import annotations

from knowledge.matcher import Match, Matcher

FOLLOW_UP_WORDS = frozenset({"what", "how", "and", "about", "then", "for", "whats", "hows"})
"""Besides a name, a follow-up says no more than these ("and Russia's?", "what about the US?")."""


def follow_up(matcher: Matcher, previous: Match | None, question: str) -> Match | None:
    """The previous question asked again for the side or person just named, if this is a follow-up."""
    if previous is None or previous.intent is None:
        return None
    intent = matcher.knowledge.intents.get(previous.intent)
    if intent is None or intent.slot is None:
        return None
    analysis = matcher.analyzer.analyse(question)
    mention = analysis.first_of_kind(intent.slot)
    if mention is None:
        return None
    others = [t for t in analysis.tokens if not t.startswith("@")]
    if any(t not in FOLLOW_UP_WORDS for t in others) or len(analysis.mentions) != 1:
        return None
    fact = intent.answers.get(mention.entity)
    if fact is None:
        return Match(
            question,
            None,
            intent.id,
            previous.confidence,
            slot_value=mention.entity,
            reason="unsupported_slot",
            suggestions=matcher.suggest(analysis, [(intent.id, 100.0)]),
        )
    return Match(question, fact, intent.id, previous.confidence, slot_value=mention.entity)
