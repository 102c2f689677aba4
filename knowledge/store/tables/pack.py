"""Tables of loaded knowledge packs: what the engine's records are read from."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, false, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from knowledge.store.tables.base import Base


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
