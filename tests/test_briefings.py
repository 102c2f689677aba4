"""Daily briefings: parsing, due times on a controllable clock, the exactly-once ledger under crashes,
and delivery (Forbidden, migration, "new since") through the real Bot against the Bot API stand-in."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import AsyncIterator

import pytest
from telegram import Bot

from handlers.briefing_jobs import BriefingService
from knowledge.briefing import NEW_HEADING, compose_briefing
from knowledge.store.ledger import Ledger
from knowledge.store.store import Store
from knowledge.records import Knowledge
from knowledge.store.subscriptions import (
    SubscriptionInfo,
    SubscriptionInputError,
    Subscriptions,
    parse_local_time,
    parse_timezone,
)
from tests.support.botapi import BotAPIStandIn

UTC = dt.timezone.utc


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


class Clock:
    """A clock the test moves by hand: no real waiting."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.mark.parametrize(
    "typed, stored", [("08:30", "08:30"), ("8:05", "08:05"), ("23:59", "23:59"), ("00:00", "00:00")]
)
def test_times_are_24_hour_hh_mm(typed: str, stored: str) -> None:
    assert parse_local_time(typed) == stored


@pytest.mark.parametrize("typed", ["24:00", "8", "08:60", "8am", "", "12:3"])
def test_bad_times_are_refused_with_the_expected_form(typed: str) -> None:
    with pytest.raises(SubscriptionInputError, match="HH:MM"):
        parse_local_time(typed)


def test_time_zones_are_iana_names() -> None:
    assert parse_timezone("Europe/Kyiv") == "Europe/Kyiv"
    for bad in ["Mars/Olympus", "../../etc/passwd", "Europe/Kyiv; drop table", ""]:
        with pytest.raises(SubscriptionInputError):
            parse_timezone(bad)


def test_briefing_is_due_once_the_local_time_has_passed_that_local_day() -> None:
    kyiv = SubscriptionInfo(1, "08:30", "Europe/Kyiv")  # UTC+2 in January
    assert kyiv.due_date(at("2030-01-15T06:29:00")) is None
    assert kyiv.due_date(at("2030-01-15T06:30:00")) == dt.date(2030, 1, 15)
    assert SubscriptionInfo(1, "00:10", "Asia/Tokyo").due_date(at("2030-01-15T15:20:00")) == dt.date(2030, 1, 16)


def test_a_new_subscription_does_not_send_a_briefing_for_a_time_already_past_today() -> None:
    made_at_noon = SubscriptionInfo(1, "08:00", "UTC", created_at=at("2030-01-15T12:00:00"))
    assert made_at_noon.due_date(at("2030-01-15T12:01:00")) is None
    assert made_at_noon.due_date(at("2030-01-16T08:00:00")) == dt.date(2030, 1, 16)


@pytest.fixture
async def ledger(store: Store) -> Ledger:
    return Ledger(store.sessions, claim_timeout=dt.timedelta(minutes=5))


async def test_a_day_is_claimed_once(ledger: Ledger) -> None:
    day, now = dt.date(2030, 1, 15), at("2030-01-15T08:00:00")
    assert await ledger.claim(1, day, now)
    assert not await ledger.claim(1, day, now)
    assert await ledger.claim(2, day, now)  # other chats are independent
    assert await ledger.claim(1, day + dt.timedelta(days=1), now)


async def test_crash_after_send_never_repeats(ledger: Ledger) -> None:
    day, now = dt.date(2030, 1, 15), at("2030-01-15T08:00:00")
    assert await ledger.claim(1, day, now)
    await ledger.mark_sent(1, day, now)
    for later in (now, now + dt.timedelta(minutes=10), now + dt.timedelta(hours=20)):
        assert not await ledger.claim(1, day, later)
    assert await ledger.sent_count(1) == 1


async def test_crash_between_claim_and_send_is_retried_after_the_timeout_by_one_sender(ledger: Ledger) -> None:
    day, now = dt.date(2030, 1, 15), at("2030-01-15T08:00:00")
    assert await ledger.claim(1, day, now)  # ... and the process dies here
    assert not await ledger.claim(1, day, now + dt.timedelta(minutes=4))  # maybe still sending: wait
    later = now + dt.timedelta(minutes=6)
    winners = [await ledger.claim(1, day, later), await ledger.claim(1, day, later)]
    assert winners == [True, False]
    await ledger.mark_sent(1, day, later)
    assert await ledger.status(1, day) == "sent"


@pytest.fixture
async def api() -> AsyncIterator[BotAPIStandIn]:
    with BotAPIStandIn() as running:
        yield running


@pytest.fixture
async def bot(api: BotAPIStandIn) -> AsyncIterator[Bot]:
    async with Bot(api.token, base_url=api.base_url) as started:
        yield started


@pytest.fixture
async def knowledge(store: Store) -> Knowledge:
    await store.ensure_pack()
    return await store.knowledge()


def service_for(store: Store, knowledge: Knowledge, clock: Clock) -> BriefingService:
    return BriefingService(Subscriptions(store.sessions), Ledger(store.sessions), lambda: knowledge, clock)


async def test_daily_delivery_sends_once_a_day_with_date_heading_and_sources(
    store: Store, knowledge: Knowledge, api: BotAPIStandIn, bot: Bot
) -> None:
    clock = Clock(at("2030-01-15T07:59:00"))
    service = service_for(store, knowledge, clock)
    await service.subscriptions.set(555, "08:00", "UTC", clock())
    assert (await service.deliver_due(bot))["not_due"] == 1
    clock.now = at("2030-01-15T08:00:30")
    assert (await service.deliver_due(bot))["sent"] == 1
    assert (await service.deliver_due(bot))["skipped"] == 1  # a restart or a second replica
    clock.now = at("2030-01-16T08:01:00")
    assert (await service.deliver_due(bot))["sent"] == 1
    texts = [m["text"] for m in api.sent_messages() if m["chat_id"] == 555]
    assert len(texts) == 2
    assert texts[0].startswith("<b>Daily briefing, 15 January 2030 (knowledge as of 15 May 2025)</b>")
    assert texts[1].splitlines()[-1].startswith("Source:") and NEW_HEADING not in texts[1]


async def test_missed_briefing_is_sent_when_back_the_same_local_day_only(
    store: Store, knowledge: Knowledge, api: BotAPIStandIn, bot: Bot
) -> None:
    clock = Clock(at("2030-01-15T06:00:00"))
    service = service_for(store, knowledge, clock)
    await service.subscriptions.set(556, "07:00", "UTC", clock())
    clock.now = at("2030-01-15T15:00:00")  # the bot was down at 07:00; back the same day
    assert (await service.deliver_due(bot))["sent"] == 1
    clock.now = at("2030-01-17T06:00:00")  # down all of the 26th: that day is gone, the 27th is not due yet
    assert (await service.deliver_due(bot))["not_due"] == 1


async def test_new_facts_since_the_last_briefing_lead_the_next_one(
    store: Store, knowledge: Knowledge, api: BotAPIStandIn, bot: Bot
) -> None:
    clock = Clock(at("2030-01-15T07:00:00"))
    current = {"knowledge": knowledge}
    service = BriefingService(
        Subscriptions(store.sessions), Ledger(store.sessions), lambda: current["knowledge"], clock
    )
    await service.subscriptions.set(557, "08:00", "UTC", clock())
    clock.now = at("2030-01-15T08:00:00")
    await service.deliver_due(bot)
    newer = dataclasses.replace(knowledge.facts["rubio_expectations"], added_at=at("2030-01-15T12:00:00"))
    current["knowledge"] = dataclasses.replace(knowledge, facts={**knowledge.facts, newer.id: newer})
    clock.now = at("2030-01-16T08:00:00")
    await service.deliver_due(bot)
    second = [m["text"] for m in api.sent_messages() if m["chat_id"] == 557][-1].splitlines()
    assert second[1] == f"<b>{NEW_HEADING}</b>" and "Rubio" in second[2]


async def test_forbidden_ends_the_subscription_without_retries(
    store: Store, knowledge: Knowledge, api: BotAPIStandIn, bot: Bot
) -> None:
    clock = Clock(at("2030-01-15T07:00:00"))
    service = service_for(store, knowledge, clock)
    await service.subscriptions.set(-558, "08:00", "UTC", clock())
    clock.now = at("2030-01-15T09:00:00")
    api.fail_next("sendMessage", status=403, description="Forbidden: bot was kicked from the group chat")
    assert (await service.deliver_due(bot))["dropped"] == 1
    assert await service.subscriptions.get(-558) is None
    clock.now = at("2030-01-15T09:10:00")
    assert sum((await service.deliver_due(bot)).values()) == 0
    assert len(api.calls_to("sendMessage")) == 1


async def test_migrated_group_takes_its_subscription_along(
    store: Store, knowledge: Knowledge, api: BotAPIStandIn, bot: Bot
) -> None:
    clock = Clock(at("2030-01-15T07:00:00"))
    service = service_for(store, knowledge, clock)
    await service.subscriptions.set(-559, "08:00", "Europe/London", clock())
    clock.now = at("2030-01-15T09:00:00")
    api.fail_next(
        "sendMessage",
        status=400,
        description="Bad Request: group chat was upgraded to a supergroup chat",
        parameters={"migrate_to_chat_id": -1009999},
    )
    assert (await service.deliver_due(bot))["sent"] == 1
    moved = await service.subscriptions.get(-1009999)
    assert moved is not None and moved.local_time == "08:00" and moved.timezone == "Europe/London"
    assert await service.subscriptions.get(-559) is None
    assert [m["chat_id"] for m in api.sent_messages()] == [-1009999]


def test_brief_stays_within_twelve_lines(answerer) -> None:  # type: ignore[no-untyped-def]
    assert len(compose_briefing(answerer.knowledge).plain_text().splitlines()) <= 12


async def test_on_start_every_subscription_is_rescheduled_from_the_database(store: Store, knowledge: Knowledge) -> None:
    from telegram.ext import Application

    from handlers.briefing_jobs import job_name, start_briefings

    clock = Clock(at("2030-01-15T07:00:00"))
    service = service_for(store, knowledge, clock)
    for chat in (601, -602):
        await service.subscriptions.set(chat, "09:45", "Europe/Kyiv", clock())
    application = Application.builder().token("1:x").build()  # never started: only its JobQueue is used
    await start_briefings(application, service, sweep_seconds=60)
    names = {job.name for job in application.job_queue.jobs()}
    assert {job_name(601), job_name(-602), "briefing-sweep"} <= names
