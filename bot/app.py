"""Wiring the Telegram application in one place, and running it (long polling or webhook).

Handler order (rules-bot style): group -1 is flood control, group 0 holds commands and questions;
the error handler logs anything a handler raises and the bot carries on.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from handlers.briefing_jobs import BriefingService, start_briefings
from bot.delivery import ReliableRateLimiter
from bot.extbot import KeepingQueue, TalksBot, read_updates, utc_now
from handlers.flood_gate import FloodGate
from bot.health import not_ready
from bot.logs import configure_logging
from handlers.metrics import Metrics, flush
from bot.pack_watch import start_pack_watch
from bot.processing import ChatOrderedProcessor
from bot.profile import publish_profile, read_profile, register_commands
from bot.request import AiohttpRequest
from bot.settings import Settings
from bot.tracking import MeasuredRateLimiter, add_tracking
from bot.webserver import ServeError, Webhook, WebServer
from handlers import admin, briefings, buttons, chats, commands, errors, flood, language, questions
from handlers.context import BotState, forget_idle_chats, forget_old_follow_ups
from handlers.rendering import CALLBACK_PREFIX
from knowledge.store.chat_languages import all_chat_languages
from knowledge.store.db import STORE_FAULTS, StoreError, one_line
from knowledge.store.follow_ups import FollowUps
from knowledge.store.inbox import Inbox
from knowledge.store.ledger import Ledger
from knowledge.pack import PackError
from knowledge.store.store import Store
from knowledge.store.subscriptions import Subscriptions
from knowledge.store.unanswered import UnansweredLog

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 10.0
"""How often a replica says it is alive and looks for updates a stopped replica left (inbox.LEASE: 30 s)."""
FORGET_SECONDS = 300.0
"""How often the state of idle chats is dropped."""
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]
COUNTER_FLUSH_SECONDS = 60.0
"""How often the counters are added to the database's totals (and at every stop)."""


def build_application(settings: Settings, state: BotState, metrics: Metrics | None = None) -> Application:
    """Updates handled concurrently, in order per chat, at most `max_in_flight` at once."""
    metrics = metrics or Metrics()
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    bot = TalksBot(
        token,
        base_url=settings.telegram_base_url,
        defaults=Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)),
        rate_limiter=MeasuredRateLimiter(
            metrics, deadline=settings.send_deadline_seconds, overall_rate=settings.send_rate_limit
        ),
        request=AiohttpRequest(connection_pool_size=settings.send_connections),  # which sends may be resent
        get_updates_request=HTTPXRequest(),
    )
    processor = ChatOrderedProcessor(
        settings.max_in_flight, on_handled=bot.keeper.mark_handled, waiting=settings.max_waiting
    )
    bot.keeper.room = processor.wait_for_room
    application = (
        Application.builder().bot(bot).update_queue(KeepingQueue(bot.keeper)).concurrent_updates(processor).build()
    )
    state.flood = FloodGate(settings.flood_questions, settings.flood_seconds)
    application.bot_data["state"] = state
    application.bot_data["metrics"] = metrics
    add_handlers(application)
    add_tracking(application)
    return application


def add_handlers(application: Application) -> None:
    text_messages = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND
    application.add_handler(MessageHandler(flood.QUESTIONS, flood.gate), group=-1)
    application.add_handlers(
        [
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
            CommandHandler("lang", language.lang_command),
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
        ]
    )
    application.add_error_handler(errors.on_error)


async def _flush_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Counters into the database's totals; on a fault they wait for the next flush."""
    store = context.bot_data["state"].store
    if store is not None:
        try:
            await flush(context.bot_data["metrics"], store.sessions)
        except STORE_FAULTS as exc:
            log.warning("counters not saved, kept for the next try: %s", one_line(exc))


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
    store = await Store.open(settings.effective_database_url, settings.index_dir, settings.effective_vector_cache_dir)
    try:
        state = BotState(
            answerer=await store.answerer(),
            store=store,
            admin_ids=frozenset(settings.admin_user_ids),
            default_timezone=settings.briefing_tz,
            unanswered=UnansweredLog(store.sessions),
        )
        state.answerer.prepare_readers()
        state.answerer.crosslingual.start_warming()  # questions meanwhile: English as ever, Cyrillic by keywords
        metrics = Metrics()
        application = build_application(settings, state, metrics)
        service = BriefingService(
            Subscriptions(store.sessions),
            Ledger(store.sessions),
            knowledge=lambda: state.answerer.knowledge,
            observe=lambda outcome: metrics.briefings.labels(outcome).inc(),
        )
        updater = application.updater
        assert updater is not None  # built with the default updater
        processor = application.update_processor
        assert isinstance(processor, ChatOrderedProcessor)
        webhook = webhook or bool(settings.webhook_url)
        server = _web_server(settings, application, state, webhook)
        async with application:
            await register_commands(
                application.bot, commands.COMMANDS, commands.ADMIN_COMMANDS, settings.admin_user_ids
            )
            await publish_profile(application.bot, await read_profile(store.sessions))
            if settings.effective_shared_context:
                state.follow_ups = FollowUps(store.sessions, application.bot.id)
                state.shared_database = True
            else:
                await _read_chat_languages(state, store)
            await application.start()
            await start_briefings(application, service, settings.briefing_sweep_seconds)
            start_pack_watch(application, settings.pack_poll_seconds)
            assert application.job_queue is not None
            application.job_queue.run_repeating(_forget_idle_chats, interval=FORGET_SECONDS, name="forget-idle-chats")
            application.job_queue.run_repeating(_flush_job, COUNTER_FLUSH_SECONDS, name="counter-flush")
            inbox = Inbox(store.sessions, application.bot.id, settings.effective_replica_name(webhook))
            await _resume_inbox(application, inbox)
            application.job_queue.run_repeating(
                _replica_job, HEARTBEAT_SECONDS, first=HEARTBEAT_SECONDS, name="replica-heartbeat", data=inbox
            )
            if webhook:
                assert isinstance(application.update_queue, KeepingQueue)
                application.update_queue.keeping = True  # kept in the inbox before Telegram gets its 200
            if server is not None:
                await server.start()
            if webhook:
                secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
                await application.bot.set_webhook(
                    settings.webhook_url or "", secret_token=secret, allowed_updates=ALLOWED_UPDATES
                )
            else:
                await updater.start_polling(allowed_updates=ALLOWED_UPDATES, timeout=10, error_callback=_polling_failed)
            log.info("TalksBot @%s is running", application.bot.username)
            await stop.wait()
            log.info("stopping")
            if server is not None:
                await server.stop()
            if updater.running:
                await updater.stop()
            await processor.stop(settings.stop_grace_seconds)
            service.stopping = True  # a briefing sweep stops between chats, and sends stop retrying
            if isinstance(application.bot.rate_limiter, ReliableRateLimiter):
                application.bot.rate_limiter.stop_retrying()
            await application.stop()
            state.answerer.crosslingual.stop_warming()
            if isinstance(application.bot, TalksBot):
                await application.bot.keeper.close()  # before the release: a handled update stays handled
            await _release(application)
            await _write_unanswered(state)
            try:
                await flush(metrics, store.sessions)
            except STORE_FAULTS as exc:
                log.warning("counters since the last flush are lost: %s", one_line(exc))
    finally:
        await store.close()


async def _read_chat_languages(state: BotState, store: Store) -> None:
    """One query for every chat's /lang now rather than one per chat later (a fault: read per chat)."""
    try:
        state.chat_languages = dict(await all_chat_languages(store.sessions))
    except STORE_FAULTS as exc:
        log.warning("chat languages are read per chat: %s", one_line(exc))
        return
    state.all_chat_languages = True


async def _write_unanswered(state: BotState) -> None:
    """At a stop: declined questions counted since the last write go to the log."""
    if state.unanswered is None:
        return
    try:
        await state.unanswered.close()
    except STORE_FAULTS as exc:
        log.warning("%d unanswered questions not logged: %s", state.unanswered.waiting, one_line(exc))


async def _resume_inbox(application: Application, inbox: Inbox) -> None:
    """Keep updates before acknowledging them, and first handle those a crash or stop left behind."""
    bot = application.bot
    assert isinstance(bot, TalksBot)
    try:
        next_update_id = await inbox.next_update_id()
    except STORE_FAULTS as exc:
        log.error("cannot read the update inbox (%s); polling without it", one_line(exc))
        return
    try:
        await inbox.heartbeat(utc_now())
        left = read_updates(await inbox.take_over(utc_now(), own=True), bot)
    except STORE_FAULTS as exc:
        log.error("cannot take the updates left unhandled (%s); they wait for the next start", one_line(exc))
        left = []
    bot.keeper.inbox, bot.keeper.next_update_id = inbox, next_update_id
    bot.keeper.requeue = lambda raw: _queue_taken(application, read_updates(raw, bot))
    if left:
        log.info("%d updates received before the last stop are handled first", len(left))
    for update in left:
        await application.update_queue.put(update)


async def _replica_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """This replica is alive; updates a stopped replica left unhandled are taken over and handled here."""
    inbox = context.job.data if context.job is not None else None
    bot = context.bot
    if not isinstance(inbox, Inbox) or not isinstance(bot, TalksBot) or bot.keeper.inbox is not inbox:
        return  # the inbox could not be read at start: updates are handled from memory
    try:
        await inbox.heartbeat(utc_now())
        left = read_updates(await inbox.take_over(utc_now(), own=False), bot)
    except STORE_FAULTS as exc:
        if not context.bot_data.get("heartbeat_failing"):
            log.warning("replica heartbeat failed (logged once until it works again): %s", one_line(exc))
        context.bot_data["heartbeat_failing"] = True
        return
    context.bot_data["heartbeat_failing"] = False
    if left:
        log.info("%d updates left by a stopped replica are handled here", len(left))
    await _queue_taken(context.application, left)


async def _queue_taken(application: Application, updates: list[Update]) -> None:
    """Queue updates already in the inbox and taken by this replica (not kept a second time)."""
    queue = application.update_queue
    for update in updates:
        await (queue.put_kept(update) if isinstance(queue, KeepingQueue) else queue.put(update))


async def _release(application: Application) -> None:
    """At a clean stop: updates cut short are left for whichever replica comes first (or this one's restart)."""
    bot = application.bot
    inbox = bot.keeper.inbox if isinstance(bot, TalksBot) else None
    if inbox is None:
        return
    try:
        released = await inbox.release()
    except STORE_FAULTS as exc:
        log.warning("unhandled updates not released; another replica takes them in 30 s: %s", one_line(exc))
        return
    if released:
        log.info("%d unhandled updates left for the next replica", released)


async def _forget_idle_chats(context: ContextTypes.DEFAULT_TYPE) -> None:
    dropped = forget_idle_chats(context.application)
    if dropped:
        log.debug("forgot the state of %d idle chats", dropped)
    follow_ups: FollowUps | None = context.bot_data["state"].follow_ups
    if follow_ups is not None:
        try:
            expired = await forget_old_follow_ups(follow_ups)
        except STORE_FAULTS as exc:
            log.warning("expired follow-up context not deleted: %s", one_line(exc))
        else:
            if expired:
                log.debug("deleted %d expired follow-up contexts", expired)


def _polling_failed(exc: TelegramError) -> None:
    """One line per failed poll; PTB's loop waits longer after each (up to 30 s)."""
    log.warning("getUpdates failed: %s", exc)


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
        print(
            f"talksbot: error: cannot reach the Telegram Bot API at {settings.telegram_base_url}: {exc}",
            file=sys.stderr,
        )
        return 1
    except TelegramError as exc:
        print(f"talksbot: error: Telegram refused to start the bot: {exc}", file=sys.stderr)
        return 1
    except ServeError as exc:
        print(f"talksbot: error: {exc}", file=sys.stderr)
        return 1
    return 0
