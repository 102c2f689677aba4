"""Daily briefings: delivering them exactly once, and scheduling them on PTB's JobQueue.

Every send goes through the ledger (`knowledge.store.ledger`), so the per-subscription daily jobs, the
catch-up sweep and any number of restarts or replicas can all try: one of them sends.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from telegram import Bot
from telegram.error import ChatMigrated, Forbidden, TelegramError
from telegram.ext import Application, ContextTypes, JobQueue

from knowledge.briefing import compose_briefing
from knowledge.store.chat_languages import get_chat_language
from knowledge.store.db import STORE_FAULTS, one_line
from knowledge.store.ledger import Ledger
from knowledge.records import Knowledge
from knowledge.store.subscriptions import SubscriptionInfo, Subscriptions

log = logging.getLogger(__name__)
SWEEP_SECONDS = 60.0
"""How often missed or unfinished briefings are looked for (after downtime, or a crash mid-send)."""


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass
class BriefingService:
    subscriptions: Subscriptions
    ledger: Ledger
    knowledge: Callable[[], Knowledge]
    """The current knowledge (it changes on /reload)."""
    clock: Callable[[], dt.datetime] = field(default=utc_now)
    observe: Callable[[str], None] = field(default=lambda outcome: None)
    """Told each briefing's outcome: sent, dropped or failed (the metrics count them)."""
    stopping: bool = False
    """Set on shutdown: a sweep stops between chats (the next start's sweep picks up the rest)."""

    async def deliver(self, bot: Bot, subscription: SubscriptionInfo) -> str:
        """Send today's briefing to one chat if it is due and nobody sent it: sent | not_due | skipped | dropped."""
        now = self.clock()
        day = subscription.due_date(now)
        if day is None:
            return "not_due"
        chat_id = subscription.chat_id
        if not await self.ledger.claim(chat_id, day, now):
            return "skipped"
        lang = await get_chat_language(self.subscriptions.sessions, chat_id) or "en"  # the chat's /lang
        briefing = compose_briefing(self.knowledge(), day, await self.ledger.last_sent_at(chat_id), lang=lang)
        try:
            await bot.send_message(chat_id, briefing.html())
        except Forbidden as exc:
            log.warning("briefing for chat %s ended: %s", chat_id, exc.message)
            await self.subscriptions.remove(chat_id)
            await self.ledger.mark_dropped(chat_id, day, self.clock())
            self.observe("dropped")
            return "dropped"
        except ChatMigrated as exc:
            log.info("chat %s moved to %s; its subscription follows", chat_id, exc.new_chat_id)
            await self.subscriptions.move(chat_id, exc.new_chat_id)
            await self.ledger.mark_dropped(chat_id, day, self.clock())
            moved = dataclasses.replace(subscription, chat_id=exc.new_chat_id)
            return await self.deliver(bot, moved)
        except Exception:
            self.observe("failed")
            raise
        await self.ledger.mark_sent(chat_id, day, self.clock())
        self.observe("sent")
        log.info("briefing sent to chat %s for %s", chat_id, day.isoformat())
        return "sent"

    async def deliver_due(self, bot: Bot) -> Counter[str]:
        """Every subscription, one after another (the rate limiter spreads the sends)."""
        outcomes: Counter[str] = Counter()
        for subscription in await self.subscriptions.all():
            if self.stopping:
                break
            try:
                outcomes[await self.deliver(bot, subscription)] += 1
            except (*STORE_FAULTS, TelegramError) as exc:
                log.warning("briefing for chat %s failed: %s", subscription.chat_id, one_line(exc))
                outcomes["failed"] += 1
        return outcomes


def _service(context: ContextTypes.DEFAULT_TYPE) -> BriefingService:
    return context.bot_data["briefings"]  # type: ignore[no-any-return]


async def _daily_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    service = _service(context)
    job = context.job
    try:
        subscription = await service.subscriptions.get(job.chat_id) if job and job.chat_id else None
        if subscription is not None:
            await service.deliver(context.bot, subscription)
    except (*STORE_FAULTS, TelegramError) as exc:
        log.warning(
            "daily briefing for chat %s failed (the sweep tries again): %s", job.chat_id if job else None, one_line(exc)
        )


async def _sweep_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """One line per failure, not a traceback every minute while the database is down."""
    try:
        outcomes = await _service(context).deliver_due(context.bot)
    except STORE_FAULTS as exc:
        log.warning("briefing sweep skipped: the database failed (%s)", one_line(exc))
        return
    if outcomes["sent"] or outcomes["dropped"] or outcomes["failed"]:
        log.info("briefing sweep: %s", dict(outcomes))


def job_name(chat_id: int) -> str:
    return f"briefing:{chat_id}"


def schedule(job_queue: JobQueue, subscription: SubscriptionInfo) -> None:
    """(Re)schedule one chat's daily job at its local time."""
    unschedule(job_queue, subscription.chat_id)
    job_queue.run_daily(
        _daily_job, time=subscription.time, chat_id=subscription.chat_id, name=job_name(subscription.chat_id)
    )


def unschedule(job_queue: JobQueue, chat_id: int) -> None:
    for job in job_queue.get_jobs_by_name(job_name(chat_id)):
        job.schedule_removal()


async def start_briefings(
    application: Application, service: BriefingService, sweep_seconds: float = SWEEP_SECONDS
) -> None:
    """On start: every subscription rescheduled from the database, and a sweep that catches up at once."""
    application.bot_data["briefings"] = service
    job_queue = application.job_queue
    if job_queue is None:
        raise RuntimeError("python-telegram-bot was installed without the job-queue extra")
    for subscription in await service.subscriptions.all():
        schedule(job_queue, subscription)
    job_queue.run_repeating(_sweep_job, interval=sweep_seconds, first=0.1, name="briefing-sweep")
