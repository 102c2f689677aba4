"""Follow-up context in the database: the last answered question per chat and user, so "and Russia's?"
works whichever replica behind a load balancer gets the next message.

Only the matcher's decision is kept (intent, fact, side), not what the user wrote. Times are seconds
since the epoch from the caller's clock: replicas on different machines share a wall clock, not a
monotonic one.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from knowledge.matcher import Match
from knowledge.store.tables import FollowUpContext


def decision_of(match: Match) -> dict[str, Any]:
    """What a follow-up needs of a match, as JSON; the question's text is left out."""
    return {
        "fact": match.fact,
        "intent": match.intent,
        "confidence": match.confidence,
        "slot_value": match.slot_value,
        "reason": match.reason,
        "suggestions": list(match.suggestions),
        "statement": match.statement,
        "support": list(match.support),
    }


def match_of(decision: dict[str, Any]) -> Match:
    return Match(
        "",
        decision.get("fact"),
        decision.get("intent"),
        float(decision.get("confidence", 0.0)),
        slot_value=decision.get("slot_value"),
        reason=decision.get("reason", "answered"),
        suggestions=tuple(decision.get("suggestions", ())),
        statement=decision.get("statement"),
        support=tuple(decision.get("support", ())),
    )


class FollowUps:
    """One bot's follow-up context (several bots may share a database, keyed by bot id)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], bot_id: int) -> None:
        self.sessions = sessions
        self.bot_id = bot_id

    async def remember(self, chat_id: int, user_id: int, match: Match, now: float) -> None:
        """Replace the chat and user's context in one statement (two replicas may write at once)."""
        values = {
            "bot_id": self.bot_id,
            "chat_id": chat_id,
            "user_id": user_id,
            "decision": decision_of(match),
            "remembered_at": now,
        }
        async with self.sessions() as session, session.begin():
            dialect = session.bind.dialect.name if session.bind is not None else ""
            insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            statement = insert(FollowUpContext).values(**values)
            await session.execute(
                statement.on_conflict_do_update(
                    index_elements=["bot_id", "chat_id", "user_id"],
                    set_={"decision": statement.excluded.decision, "remembered_at": statement.excluded.remembered_at},
                )
            )

    async def recall(self, chat_id: int, user_id: int, now: float, max_age: float) -> Match | None:
        """The context remembered at most `max_age` seconds before `now`, if any."""
        async with self.sessions() as session:
            row = (
                await session.execute(
                    select(FollowUpContext.decision, FollowUpContext.remembered_at).where(
                        FollowUpContext.bot_id == self.bot_id,
                        FollowUpContext.chat_id == chat_id,
                        FollowUpContext.user_id == user_id,
                    )
                )
            ).first()
        if row is None or now - row.remembered_at > max_age:
            return None
        return match_of(row.decision)

    async def forget_before(self, cutoff: float) -> int:
        """Drop every context remembered before `cutoff`; returns how many."""
        async with self.sessions() as session, session.begin():
            result = await session.execute(
                delete(FollowUpContext).where(
                    FollowUpContext.bot_id == self.bot_id, FollowUpContext.remembered_at < cutoff
                )
            )
        return int(getattr(result, "rowcount", 0) or 0)
