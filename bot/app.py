"""Wiring the Telegram application in one place, and running it (long polling or webhook).

Handler order (rules-bot style): group 0 holds commands and questions; the error handler logs
anything a handler raises and the bot carries on.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from sqlalchemy.exc import SQLAlchemyError
from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    Application, CallbackQueryHandler, CommandHandler, ContextTypes, Defaults, InlineQueryHandler, MessageHandler, filters,
)

from bot.health import not_ready
from bot.logs import configure_logging
from bot.metrics import Metrics, flush
from bot.profile import publish_profile, read_profile, register_commands
from bot.tracking import MeasuredRateLimiter, add_tracking
from bot.webserver import ServeError, Webhook, WebServer
from bot.settings import Settings
from bot.briefings import BriefingService, start_briefings
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


COUNTER_FLUSH_SECONDS = 60.0
"""How often the counters are added to the database's totals (and at every stop)."""


def build_application(settings: Settings, state: BotState, metrics: Metrics | None = None) -> Application:
    metrics = metrics or Metrics()
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    application = (
        Application.builder()
        .token(token)
        .base_url(settings.telegram_base_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .rate_limiter(MeasuredRateLimiter(metrics))
        .build()
    )
    application.bot_data["state"] = state
    application.bot_data["metrics"] = metrics
    add_handlers(application)
    add_tracking(application)
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


async def _flush_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    store = context.bot_data["state"].store
    if store is not None:
        await flush(context.bot_data["metrics"], store.sessions)


def _web_server(settings: Settings, application: Application, state: BotState, webhook: bool) -> WebServer | None:
    """Webhook mode: the webhook and the health routes on WEBHOOK_PORT; polling: health on METRICS_PORT, if set."""
    async def readiness() -> str | None:
        return await not_ready(state)

    metrics: Metrics = application.bot_data["metrics"]
    if webhook:
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
        hook = Webhook(settings.effective_webhook_path, secret, application)
        return WebServer(settings.webhook_listen, settings.webhook_port, metrics, readiness, hook)
    if settings.metrics_port:
        return WebServer(settings.webhook_listen, settings.metrics_port, metrics, readiness)
    return None


async def serve(settings: Settings, stop: asyncio.Event, webhook: bool = False) -> None:
    """Open the store, start the bot, run until `stop` is set, then shut down cleanly."""
    store = await Store.open(settings.effective_database_url)
    try:
        state = BotState(answerer=await store.answerer(), store=store,
                         admin_ids=frozenset(settings.admin_user_ids), default_timezone=settings.briefing_tz)
        metrics = Metrics()
        application = build_application(settings, state, metrics)
        service = BriefingService(Subscriptions(store.sessions), Ledger(store.sessions),
                                  knowledge=lambda: state.answerer.knowledge,
                                  observe=lambda outcome: metrics.briefings.labels(outcome).inc())
        updater = application.updater
        assert updater is not None  # built with the default updater
        webhook = webhook or bool(settings.webhook_url)
        server = _web_server(settings, application, state, webhook)
        async with application:
            await register_commands(application.bot, commands.COMMANDS, commands.ADMIN_COMMANDS,
                                    settings.admin_user_ids)
            await publish_profile(application.bot, await read_profile(store.sessions))
            await application.start()
            await start_briefings(application, service, settings.briefing_sweep_seconds)
            assert application.job_queue is not None
            application.job_queue.run_repeating(_flush_job, COUNTER_FLUSH_SECONDS, name="counter-flush")
            if server is not None:
                await server.start()
            if webhook:
                secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
                await application.bot.set_webhook(settings.webhook_url or "", secret_token=secret,
                                                  allowed_updates=ALLOWED_UPDATES)
            else:
                await updater.start_polling(allowed_updates=ALLOWED_UPDATES, poll_interval=0.0,
                                                        timeout=10)
            log.info("TalksBot @%s is running", application.bot.username)
            await stop.wait()
            log.info("stopping")
            if server is not None:
                await server.stop()
            if updater.running:
                await updater.stop()
            await application.stop()
            try:
                await flush(metrics, store.sessions)
            except SQLAlchemyError as exc:
                log.warning("counters since the last flush are lost: %s", type(exc).__name__)
    finally:
        await store.close()


def run_bot(settings: Settings, webhook: bool = False) -> int:
    """`talksbot run`: a one-line error for every failure a person can fix."""
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    secrets = [token, token.partition(":")[2]]
    if settings.webhook_secret:
        secrets.append(settings.webhook_secret.get_secret_value())
    configure_logging(settings.log_level, secrets, log_format=settings.log_format)
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
    except ServeError as exc:
        print(f"talksbot: error: {exc}", file=sys.stderr)
        return 1
    return 0
