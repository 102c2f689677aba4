"""Nothing lost when the bot dies: `talksbot run` as a real process, killed (SIGKILL) or stopped
(SIGTERM) with a backlog queued in the Bot API stand-in, then started again on the same SQLite
file. Also: an update the library cannot read is skipped, not fetched again forever."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from knowledge.store.store import Store
from knowledge.store.subscriptions import Subscriptions
from tests.support.botapi import BotAPIStandIn
from tests.support.running import running_bot
from tests.support.waiting import accepts_connections, eventually, eventually_sync

BACKLOG = 300
IN_FLIGHT = 20


def _start(api: BotAPIStandIn, tmp_path: Path, run: int, **settings: str) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ,
        TELEGRAM_BOT_TOKEN=api.token,
        TELEGRAM_BASE_URL=api.base_url,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        MAX_IN_FLIGHT=str(IN_FLIGHT),
    )
    env.pop("WEBHOOK_URL", None)
    env.update(settings)
    log = open(tmp_path / f"run{run}.log", "w")  # a file, not a pipe: a full pipe would block the bot
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run"], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=log
    )


def _answers_per_chat(api: BotAPIStandIn) -> Counter[int]:
    return Counter(c.params["chat_id"] for c in api.calls_to("sendMessage", include_failed=False))


def _backlog(api: BotAPIStandIn) -> list[int]:
    """One question per private chat, so every answer says which question it answers."""
    chats = list(range(60_000, 60_000 + BACKLOG))
    for chat in chats:
        api.push_message("who leads ukraine's delegation?", chat_id=chat, user_id=chat)
    return chats


def _stop(process: subprocess.Popen[bytes], signum: int) -> float:
    started = time.monotonic()
    process.send_signal(signum)
    process.wait(timeout=60)
    return time.monotonic() - started


def _die_and_restart(
    api: BotAPIStandIn, tmp_path: Path, first: subprocess.Popen[bytes], signum: int, chats: list[int], **settings: str
) -> tuple[float, set[int]]:
    """Once a part of the backlog is answered, stop `first` with `signum`, start the bot again and
    wait until every chat has its answer: (seconds the stop took, chats answered before it)."""
    eventually_sync(lambda: sum(_answers_per_chat(api).values()) >= 40, "a first part answered", 60)
    stop_seconds = _stop(first, signum)
    answered_before = set(_answers_per_chat(api))
    second = _start(api, tmp_path, 2, **settings)
    try:
        eventually_sync(lambda: set(chats) <= set(_answers_per_chat(api)), "every question answered", 120)
    finally:
        _stop(second, signal.SIGTERM)
    return stop_seconds, answered_before


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "sigterm"])
def test_a_backlog_survives_the_bot_dying_and_at_most_the_work_in_flight_is_answered_twice(
    tmp_path: Path, signum: signal.Signals
) -> None:
    with BotAPIStandIn(long_poll_cap=0.5) as api:
        first = _start(api, tmp_path, 1)
        try:
            api.wait_for("getUpdates", timeout=60)
            chats = _backlog(api)
            stop_seconds, answered_before = _die_and_restart(api, tmp_path, first, signum, chats)
        finally:
            if first.poll() is None:
                first.kill()
    answers = _answers_per_chat(api)
    twice = [chat for chat in chats if answers[chat] > 1]
    assert len(answered_before) < BACKLOG  # the bot really died with work left
    assert set(answers) == set(chats)  # none lost
    assert len(twice) <= IN_FLIGHT, f"{len(twice)} answered twice"
    if signum == signal.SIGTERM:
        assert stop_seconds < 10, f"SIGTERM took {stop_seconds:.1f}s"
        assert twice == []  # a clean stop finishes or leaves each update, never half of one
    print(
        f"\n{signal.Signals(signum).name}: {len(answered_before)} of {BACKLOG} answered before, "
        f"{len(twice)} answered twice, stop took {stop_seconds:.2f}s"
    )


async def test_an_update_the_library_cannot_read_is_skipped_once_without_its_text(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    with BotAPIStandIn(long_poll_cap=0.5) as api:
        async with running_bot(api, tmp_path / "bot.db"):
            polls_before = len(api.calls_to("getUpdates"))
            poison = api.push_raw({"message": {"message_id": 77, "text": "private words"}})  # no chat, no date
            api.push_message("who leads ukraine?", chat_id=4321)
            await eventually(lambda: api.sent_messages(), "the next question answered")
            await eventually(lambda: api.pending_updates() == [], "the unreadable update acknowledged")
            polls = len(api.calls_to("getUpdates")) - polls_before
    assert "Umerov" in api.sent_messages()[0]["text"]
    assert polls < 20  # not a busy loop of re-fetching it
    skipped = [
        r for r in caplog.records if f"update {poison['update_id']}" in r.getMessage() and r.levelno >= logging.INFO
    ]
    assert len(skipped) == 1 and skipped[0].levelno == logging.WARNING
    assert not [r for r in caplog.records if r.levelno >= logging.INFO and "private words" in r.getMessage()]


async def test_a_backlog_is_fetched_only_as_fast_as_it_is_worked_off(tmp_path: Path) -> None:
    waiting = 30
    ahead: list[int] = []
    with BotAPIStandIn(long_poll_cap=0.5) as api:
        async with running_bot(api, tmp_path / "bot.db", max_waiting=waiting):
            chats = _backlog(api)

            def fetched_ahead() -> bool:
                answered = sum(_answers_per_chat(api).values())
                ahead.append(BACKLOG - len(api.pending_updates()) - answered)
                return answered == BACKLOG

            await eventually(fetched_ahead, "the whole backlog answered", 60)
    assert set(_answers_per_chat(api)) == set(chats)
    assert max(ahead) <= 2 * waiting, f"{max(ahead)} updates fetched ahead of the answers"


async def test_polling_backs_off_after_errors_and_logs_one_line_each(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    with BotAPIStandIn(long_poll_cap=0.5) as api:
        async with running_bot(api, tmp_path / "bot.db"):
            api.fail_next("getUpdates", status=502, times=3)
            await api.wait_for_async("getUpdates", lambda c: c.failed_with == 502, include_failed=True)
            api.push_message("who leads ukraine?", chat_id=4400)
            await eventually(lambda: api.sent_messages(), "answered once polling works again")
    failed = [c.time for c in api.calls_to("getUpdates", include_failed=True) if c.failed_with == 502]
    gaps = [later - earlier for earlier, later in zip(failed, failed[1:])]
    assert len(failed) == 3 and all(gap >= 0.9 for gap in gaps) and gaps[1] > gaps[0]
    lines = [r for r in caplog.records if r.getMessage().startswith("getUpdates failed")]
    assert len(lines) == 3 and not any(r.exc_info for r in lines)


async def test_sigterm_during_a_long_briefing_sweep_stops_quickly_and_the_rest_follow_once(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    chats = list(range(70_000, 70_200))
    store = await Store.open(f"sqlite+aiosqlite:///{database}")
    yesterday = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=1)
    for chat in chats:
        await Subscriptions(store.sessions).set(chat, "00:00", "UTC", yesterday)  # all due now
    await store.close()
    with BotAPIStandIn(long_poll_cap=0.5) as api:
        bot = running_bot(api, database)
        await bot.__aenter__()
        await eventually(lambda: len(_answers_per_chat(api)) >= 20, "a first part of the sweep sent")
        started = time.monotonic()
        await bot.__aexit__(None, None, None)
        stop_seconds = time.monotonic() - started
        sent_before = len(_answers_per_chat(api))
        async with running_bot(api, database):
            await eventually(lambda: set(chats) <= set(_answers_per_chat(api)), "every briefing sent")
    assert sent_before < len(chats) and stop_seconds < 3, f"stopping took {stop_seconds:.1f}s"
    assert max(_answers_per_chat(api).values()) == 1  # each chat's briefing once, across the stop


def _post_update(port: int, update: dict[str, object]) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(
            "POST",
            "/telegram",
            json.dumps(update),
            {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "s3cret-token"},
        )
        return connection.getresponse().status
    finally:
        connection.close()


def test_in_webhook_mode_an_update_answered_200_survives_kill_9(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    webhook = {
        "WEBHOOK_URL": "https://bot.example.org/telegram",
        "WEBHOOK_SECRET": "s3cret-token",
        "WEBHOOK_PORT": str(port),
    }
    chats = list(range(80_000, 80_000 + BACKLOG))
    with BotAPIStandIn() as api:
        first = _start(api, tmp_path, 1, **webhook)
        try:
            eventually_sync(lambda: accepts_connections("127.0.0.1", port), "the webhook port open", 60)
            statuses = [
                _post_update(port, api.push_message("who leads ukraine?", chat_id=chat, user_id=chat)) for chat in chats
            ]  # Telegram's part: each delivered once, answered 200
            _, answered_before = _die_and_restart(api, tmp_path, first, signal.SIGKILL, chats, **webhook)
        finally:
            if first.poll() is None:
                first.kill()
    answers = _answers_per_chat(api)
    assert statuses == [200] * BACKLOG and len(answered_before) < BACKLOG
    assert set(answers) == set(chats) and len([c for c in chats if answers[c] > 1]) <= IN_FLIGHT
