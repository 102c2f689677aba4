"""The store's tables: typed SQLAlchemy 2 models. Schema changes go through Alembic revisions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class PackRecord(Base):
    """A loaded knowledge pack; `fingerprint` makes reloading an unchanged pack a no-op."""

    __tablename__ = "packs"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(20))
    as_of: Mapped[dt.date] = mapped_column(Date)
    fingerprint: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    short_description: Mapped[str] = mapped_column(String(120), default="", server_default="")
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    version: Mapped[str | None] = mapped_column(String(100))
    presentation: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    descriptions: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON, default=dict)
    """The profile texts in other languages: language -> {description, short_description}."""
    """About text, briefing lines, /lead and /delegations facts (`knowledge.presentation`)."""


class Source(Base):
    __tablename__ = "sources"
    __table_args__ = (UniqueConstraint("pack_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[str] = mapped_column(ForeignKey("packs.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(500))
    publisher: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(1000))
    as_of: Mapped[dt.date] = mapped_column(Date)
    language: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)


class Entity(Base):
    __tablename__ = "entities"
    __table_args__ = (UniqueConstraint("pack_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[str] = mapped_column(ForeignKey("packs.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    side_key: Mapped[str | None] = mapped_column(String(100))
    names: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    """The name in other languages: language -> name."""
    forms: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON, default=dict)
    """The name's grammatical forms in other languages: language -> case -> form."""
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    aliases: Mapped[list[Alias]] = relationship(
        back_populates="entity", cascade="all, delete-orphan", order_by="Alias.id"
    )


class Alias(Base):
    __tablename__ = "aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(200))
    entity: Mapped[Entity] = relationship(back_populates="aliases")


class Fact(Base):
    """An answer statement. `added_at` survives reloads, so briefings can tell what is new."""

    __tablename__ = "facts"
    __table_args__ = (UniqueConstraint("pack_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[str] = mapped_column(ForeignKey("packs.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    statement: Mapped[str] = mapped_column(Text)
    statements: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    """The statement in other languages than the pack's: language -> text."""
    as_of: Mapped[dt.date] = mapped_column(Date)
    entity_keys: Mapped[list[str]] = mapped_column(JSON)
    relations: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    dated: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    supersedes: Mapped[str | None] = mapped_column(String(100))
    added_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    quotes: Mapped[list[Quote]] = relationship(
        back_populates="fact", cascade="all, delete-orphan", order_by="Quote.position"
    )


class Quote(Base):
    """A verbatim span of a source backing a fact; `text` is copied exactly from the source."""

    __tablename__ = "quotes"

    id: Mapped[int] = mapped_column(primary_key=True)
    fact_id: Mapped[int] = mapped_column(ForeignKey("facts.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    fact: Mapped[Fact] = relationship(back_populates="quotes")
    source: Mapped[Source] = relationship()


class Intent(Base):
    __tablename__ = "intents"
    __table_args__ = (UniqueConstraint("pack_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[str] = mapped_column(ForeignKey("packs.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    suggest: Mapped[str | None] = mapped_column(String(300))
    suggestions: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    """`suggest` in other languages: language -> label."""
    required_words: Mapped[list[str]] = mapped_column(JSON, default=list)
    excluded_words: Mapped[list[str]] = mapped_column(JSON, default=list)
    phrasings: Mapped[list[Phrasing]] = relationship(cascade="all, delete-orphan", order_by="Phrasing.position")
    answers: Mapped[list[IntentAnswer]] = relationship(cascade="all, delete-orphan", order_by="IntentAnswer.id")


class Phrasing(Base):
    __tablename__ = "phrasings"

    id: Mapped[int] = mapped_column(primary_key=True)
    intent_id: Mapped[int] = mapped_column(ForeignKey("intents.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(500))


class IntentAnswer(Base):
    """Which fact answers an intent, per slot value (None for an intent without a slot)."""

    __tablename__ = "intent_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    intent_id: Mapped[int] = mapped_column(ForeignKey("intents.id", ondelete="CASCADE"), index=True)
    slot_value: Mapped[str | None] = mapped_column(String(100))
    fact_key: Mapped[str] = mapped_column(String(100))


class LexiconTerm(Base):
    """A stop word (canonical is None) or a synonym variant mapped to its canonical word."""

    __tablename__ = "lexicon_terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[str] = mapped_column(ForeignKey("packs.id", ondelete="CASCADE"), index=True)
    term: Mapped[str] = mapped_column(String(200))
    canonical: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="term")
    """term (a stop word or synonym) | out_of_scope (a word asking what no fact covers)"""


class Subscription(Base):
    """A chat's daily briefing: local time and IANA time zone."""

    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    local_time: Mapped[str] = mapped_column(String(5))
    """HH:MM, 24-hour clock."""
    timezone: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class BriefingDelivery(Base):
    """The delivery ledger: one row per (chat, local date), claimed before sending, marked after.

    The unique constraint is what makes delivery exactly-once across restarts and replicas.
    """

    __tablename__ = "briefing_deliveries"
    __table_args__ = (UniqueConstraint("chat_id", "local_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    local_date: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))
    """claimed | sent | dropped"""
    claimed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=1)


class UnansweredQuestion(Base):
    """Questions the bot declined, counted by their normalised form, so maintainers see what to add.

    Only the question text is kept: no user or chat ids."""

    __tablename__ = "unanswered_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(500), unique=True)
    """The normalised question: the same question asked twice counts twice."""
    text: Mapped[str] = mapped_column(String(500))
    """How it was last asked."""
    count: Mapped[int] = mapped_column(Integer, default=1)
    language: Mapped[str] = mapped_column(String(20), default="en", server_default="en")
    first_asked: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_asked: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class BotCounter(Base):
    """A running total the bot keeps across restarts (questions, answers, errors...), shared by replicas."""

    __tablename__ = "bot_counters"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class ReceivedUpdate(Base):
    """An update as Telegram sent it, kept before it is acknowledged so a crash cannot lose it.

    Handled rows are pruned except the newest, whose id tells a restarted bot where to go on."""

    __tablename__ = "received_updates"

    bot_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    payload: Mapped[str] = mapped_column(Text)
    """The update's JSON, exactly as received."""
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    handled: Mapped[bool] = mapped_column(Boolean, default=False)
    taken_by: Mapped[str | None] = mapped_column(String(200))
    """The replica working on it (`REPLICA_NAME`); another takes it over only once that one stops
    showing signs of life (`Replica.seen_at`), or when it was released (NULL) at a clean stop."""


class FollowUpContext(Base):
    """The last answered question per chat and user, for follow-ups ("and Russia's?") whichever
    replica gets the next message. Only the matcher's decision is kept, never the question's text."""

    __tablename__ = "follow_up_contexts"

    bot_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    decision: Mapped[dict[str, Any]] = mapped_column(JSON)
    remembered_at: Mapped[float] = mapped_column(Float, index=True)
    """Seconds since the epoch, by the handlers' wall clock (replicas share it; monotonic clocks differ)."""


class Replica(Base):
    """A running bot process and when it last showed signs of life: the updates it took are left to it
    while it does, and taken over by another replica when it does not."""

    __tablename__ = "replicas"

    bot_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ChatLanguage(Base):
    """A chat's reply language, set with /lang; a chat without one follows each question and user."""

    __tablename__ = "chat_languages"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    language: Mapped[str] = mapped_column(String(8))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
