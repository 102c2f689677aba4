"""Wiring the Telegram application in one place, and running it (long polling or webhook).

Handler order (rules-bot style): group 0 holds commands and questions; the error handler logs
anything a handler raises and the bot carries on.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from telegram import (
    BotCommand, BotCommandScopeAllChatAdministrators, BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats, LinkPreviewOptions, Update,
)
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    Application, CallbackQueryHandler, CommandHandler, Defaults, InlineQueryHandler, MessageHandler, filters,
)

from bot.delivery import ReliableRateLimiter
from bot.logs import configure_logging
from bot.settings import Settings
from bot.briefings import BriefingService, start_briefings
from bot.pack_watch import start_pack_watch
from handlers import admin, briefings, buttons, chats, commands, errors, questions
from handlers.context import BotState
from handlers.rendering import CALLBACK_PREFIX
from knowledge.db import StoreError
from knowledge.ledger import Ledger
from knowledge.pack import PackError
from knowledge.service import Store
from knowledge.subscriptions import Subscriptions

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]


def build_application(settings: Settings, state: BotState) -> Application:
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    application = (
        Application.builder()
        .token(token)
        .base_url(settings.telegram_base_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .rate_limiter(ReliableRateLimiter())
        .build()
    )
    application.bot_data["state"] = state
    add_handlers(application)
    return application


def add_handlers(application: Application) -> None:
    text_messages = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND
    application.add_handlers([
        CommandHandler("start", commands.start),
        CommandHandler("help", commands.help_command),
        CommandHandler("lead", commands.lead),
        CommandHandler("delegations", commands.delegations),
        CommandHandler("brief", commands.brief),
        CommandHandler("sources", commands.sources),
        CommandHandler("about", commands.about),
        CommandHandler("ask", questions.ask_command),
        CommandHandler("subscribe", briefings.subscribe),
        CommandHandler("unsubscribe", briefings.unsubscribe),
        CommandHandler("subscription", briefings.subscription),
        CommandHandler("reload", admin.reload),
        CommandHandler("stats", admin.stats),
        CommandHandler("unanswered", admin.unanswered),
        MessageHandler(text_messages & filters.ChatType.PRIVATE, questions.private_text),
        MessageHandler(text_messages & filters.ChatType.GROUPS & questions.ADDRESSED, questions.addressed_in_group),
        MessageHandler(filters.UpdateType.EDITED_MESSAGE & filters.TEXT, questions.edited_question),
        MessageHandler(filters.StatusUpdate.MIGRATE, chats.migrated),
        MessageHandler(filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & ~filters.TEXT, questions.not_text),
        CallbackQueryHandler(buttons.suggestion_pressed, pattern=f"^{CALLBACK_PREFIX}"),
        CallbackQueryHandler(buttons.unknown_button),
        InlineQueryHandler(buttons.inline_query),
    ])
    application.add_error_handler(errors.on_error)


async def _register_commands(application: Application) -> None:
    """Command menus per scope: everyone sees the public commands, administrators also /reload and /stats."""
    public = [BotCommand(name, text) for name, text in commands.COMMANDS]
    admin_menu = public + [BotCommand(name, text) for name, text in commands.ADMIN_COMMANDS]
    bot = application.bot
    await bot.set_my_commands(public, scope=BotCommandScopeAllPrivateChats())
    await bot.set_my_commands(public, scope=BotCommandScopeAllGroupChats())
    await bot.set_my_commands(admin_menu, scope=BotCommandScopeAllChatAdministrators())


async def serve(settings: Settings, stop: asyncio.Event, webhook: bool = False) -> None:
    """Open the store, start the bot, run until `stop` is set, then shut down cleanly."""
    store = await Store.open(settings.effective_database_url)
    try:
        state = BotState(answerer=await store.answerer(), store=store,
                         admin_ids=frozenset(settings.admin_user_ids), default_timezone=settings.briefing_tz)
        application = build_application(settings, state)
        service = BriefingService(Subscriptions(store.sessions), Ledger(store.sessions),
                                  knowledge=lambda: state.answerer.knowledge)
        updater = application.updater
        assert updater is not None  # built with the default updater
        async with application:
            await _register_commands(application)
            await application.start()
            await start_briefings(application, service, settings.briefing_sweep_seconds)
            start_pack_watch(application, settings.pack_poll_seconds)
            if webhook or settings.webhook_url:
                await updater.start_webhook(
                    listen=settings.webhook_listen, port=settings.webhook_port,
                    url_path="telegram", webhook_url=settings.webhook_url,
                    secret_token=settings.webhook_secret.get_secret_value() if settings.webhook_secret else None,
                    allowed_updates=ALLOWED_UPDATES)
            else:
                await updater.start_polling(allowed_updates=ALLOWED_UPDATES, poll_interval=0.0,
                                                        timeout=10)
            log.info("TalksBot @%s is running", application.bot.username)
            await stop.wait()
            log.info("stopping")
            await updater.stop()
            await application.stop()
    finally:
        await store.close()


def run_bot(settings: Settings, webhook: bool = False) -> int:
    """`talksbot run`: a one-line error for every failure a person can fix."""
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    secrets = [token, token.partition(":")[2]]
    if settings.webhook_secret:
        secrets.append(settings.webhook_secret.get_secret_value())
    configure_logging(settings.log_level, secrets)
    if not token:
        print("talksbot: error: TELEGRAM_BOT_TOKEN is not set (put it in the environment or .env)", file=sys.stderr)
        return 1
    if (webhook or settings.webhook_url) and not (settings.webhook_url and settings.webhook_secret):
        print("talksbot: error: webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET", file=sys.stderr)
        return 1

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await serve(settings, stop, webhook)

    try:
        asyncio.run(main())
    except InvalidToken:
        print("talksbot: error: Telegram rejected TELEGRAM_BOT_TOKEN (check it with @BotFather)", file=sys.stderr)
        return 1
    except (StoreError, PackError) as exc:
        print(f"talksbot: error: {exc}", file=sys.stderr)
        return 1
    except NetworkError as exc:
        print(f"talksbot: error: cannot reach the Telegram Bot API at {settings.telegram_base_url}: {exc}",
              file=sys.stderr)
        return 1
    except TelegramError as exc:
        print(f"talksbot: error: Telegram refused to start the bot: {exc}", file=sys.stderr)
        return 1
    return 0
