"""The bot's Telegram profile, set at every start: description, short description and command menus.

The texts come from the newest loaded pack's metadata, so a new pack brings its own; the menus
show the administrator commands only in the private chats of ADMIN_USER_IDS.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
)
from telegram.error import BadRequest, Forbidden

from knowledge.i18n import TRANSLATED, tr
from knowledge.store.tables import PackRecord

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Profile:
    description: str
    short_description: str
    translated: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Language -> (description, short description), from the pack's `description_uk:` and the like."""


async def read_profile(sessions: async_sessionmaker[AsyncSession]) -> Profile:
    """The newest pack's texts; empty when no pack has any (Telegram then shows none)."""
    async with sessions() as session:
        pack = await session.scalar(
            select(PackRecord).order_by(PackRecord.as_of.desc(), PackRecord.loaded_at.desc()).limit(1)
        )
    if pack is None:
        return Profile("", "")
    translated = {
        lang: (texts.get("description", ""), texts.get("short_description", ""))
        for lang, texts in (pack.descriptions or {}).items()
    }
    return Profile(pack.description, pack.short_description, translated)


async def publish_profile(bot: Bot, profile: Profile) -> None:
    """Set both texts, in English for everyone and in Ukrainian and Russian for users whose Telegram
    speaks them (`language_code`). An empty text clears what an earlier pack set: Telegram then shows
    the English one."""
    await bot.set_my_description(profile.description)
    await bot.set_my_short_description(profile.short_description)
    for lang in TRANSLATED:
        description, short_description = profile.translated.get(lang, ("", ""))
        await bot.set_my_description(description, language_code=lang)
        await bot.set_my_short_description(short_description, language_code=lang)


async def register_commands(
    bot: Bot, public: Iterable[tuple[str, str]], admin: Iterable[tuple[str, str]], admin_ids: Iterable[int]
) -> None:
    """Everyone sees the public commands; each administrator's private chat also lists the admin ones.

    Each menu is set in English for everyone, and translated for users whose Telegram language is
    Ukrainian or Russian (`language_code`); descriptions are English message ids (`knowledge.i18n`)."""
    public, admin = list(public), list(admin)
    await bot.delete_my_commands(scope=BotCommandScopeAllChatAdministrators())  # left by earlier versions
    unreachable: set[int] = set()
    for lang in (None, *TRANSLATED):
        public_menu = [BotCommand(name, tr(lang, text)) for name, text in public]
        admin_menu = public_menu + [BotCommand(name, tr(lang, text)) for name, text in admin]
        await bot.set_my_commands(public_menu, scope=BotCommandScopeAllPrivateChats(), language_code=lang)
        await bot.set_my_commands(public_menu, scope=BotCommandScopeAllGroupChats(), language_code=lang)
        for user_id in admin_ids:
            if user_id in unreachable:
                continue
            try:
                await bot.set_my_commands(admin_menu, scope=BotCommandScopeChat(user_id), language_code=lang)
            except (BadRequest, Forbidden) as exc:  # the administrator has not opened a chat with the bot yet
                log.warning("no admin command menu for user %s: %s", user_id, exc.message)
                unreachable.add(user_id)
