"""Tables of the running bot's own state: subscriptions, deliveries, the unanswered log, counters, the
inbox of received updates, follow-up context, replicas and chat languages."""

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
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.store.tables.base import Base


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
    __table_args__ = (
        # a chat's oldest unhandled update, for replicas sharing the work (created on PostgreSQL only)
        Index("ix_received_updates_waiting", "bot_id", "chat_id", "update_id", postgresql_where=text("NOT handled")),
    )

    bot_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    payload: Mapped[str] = mapped_column(Text)
    """The update's JSON, exactly as received."""
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    handled: Mapped[bool] = mapped_column(Boolean, default=False)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    """The chat it came from (None for updates without one, such as inline queries): replicas sharing
    a PostgreSQL database handle a chat's updates in order, one replica at a time."""
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
