"""Each chat's reply language as set with /lang, kept in the database (table `chat_languages`)."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from knowledge.store.tables import ChatLanguage


async def get_chat_language(sessions: async_sessionmaker[AsyncSession], chat_id: int) -> str | None:
    async with sessions() as session:
        return await session.scalar(select(ChatLanguage.language).where(ChatLanguage.chat_id == chat_id))


async def all_chat_languages(sessions: async_sessionmaker[AsyncSession]) -> dict[int, str]:
    """Every chat's language that was set (the chats that never used /lang are not there)."""
    async with sessions() as session:
        rows = await session.execute(select(ChatLanguage.chat_id, ChatLanguage.language))
        return {int(chat_id): language for chat_id, language in rows}


async def set_chat_language(sessions: async_sessionmaker[AsyncSession], chat_id: int, language: str) -> None:
    """Replace the chat's language (delete then insert: the same on SQLite and PostgreSQL)."""
    async with sessions.begin() as session:
        await session.execute(delete(ChatLanguage).where(ChatLanguage.chat_id == chat_id))
        session.add(ChatLanguage(chat_id=chat_id, language=language))
