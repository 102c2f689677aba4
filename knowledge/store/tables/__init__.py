"""The store's tables (typed SQLAlchemy 2 models), in two groups: loaded packs and the bot's own state.
Importing this package registers every table on `Base.metadata`. Schema changes go through Alembic
revisions (`knowledge/store/migrations/`)."""

from knowledge.store.tables.base import NAMING, Base
from knowledge.store.tables.bot_state import (
    Subscription,
    BriefingDelivery,
    UnansweredQuestion,
    BotCounter,
    ReceivedUpdate,
    FollowUpContext,
    Replica,
    ChatLanguage,
)
from knowledge.store.tables.pack import (
    PackRecord,
    Source,
    Entity,
    Alias,
    Fact,
    Quote,
    Intent,
    Phrasing,
    IntentAnswer,
    LexiconTerm,
)

__all__ = [
    "Alias",
    "Base",
    "BotCounter",
    "BriefingDelivery",
    "ChatLanguage",
    "Entity",
    "Fact",
    "FollowUpContext",
    "Intent",
    "IntentAnswer",
    "LexiconTerm",
    "NAMING",
    "PackRecord",
    "Phrasing",
    "Quote",
    "ReceivedUpdate",
    "Replica",
    "Source",
    "Subscription",
    "UnansweredQuestion",
]
