"""`talksbot run` as a real process against the local Bot API stand-in: start-up errors, clean
stops on SIGTERM, and a daily briefing that arrives once across kill -9 and restart."""

from __future__ import annotations

import asyncio
import datetime as dt
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.support.botapi import BotAPIStandIn, Call
from tests.support.waiting import eventually_sync


def _run_process(api: BotAPIStandIn, tmp_path: Path, token: str, log_name: str = "stderr.log") -> subprocess.Popen[str]:
    import os
    import subprocess
    import sys

    env = dict(
        os.environ,
        TELEGRAM_BOT_TOKEN=token,
        TELEGRAM_BASE_URL=api.base_url,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'p.db'}",
        LOG_LEVEL="DEBUG",
    )
    env.pop("WEBHOOK_URL", None)
    log = open(tmp_path / log_name, "w")  # a file, not a pipe: DEBUG output would fill a pipe and block
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
        text=True,
    )


def test_run_without_token_is_one_clear_line(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "run"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    assert done.stderr.strip() == "talksbot: error: TELEGRAM_BOT_TOKEN is not set (put it in the environment or .env)"


def test_rejected_token_is_one_clear_line(tmp_path: Path) -> None:
    with BotAPIStandIn() as api:
        process = _run_process(api, tmp_path, "999:not-the-right-token")
        process.wait(timeout=60)
        stderr = (tmp_path / "stderr.log").read_text()
    assert process.returncode == 1
    assert "talksbot: error: Telegram rejected TELEGRAM_BOT_TOKEN" in stderr
    assert "Traceback" not in stderr and "not-the-right-token" not in stderr


def test_sigterm_stops_the_bot_cleanly(tmp_path: Path) -> None:
    import signal

    with BotAPIStandIn(long_poll_cap=0.5) as api:
        process = _run_process(api, tmp_path, api.token)
        try:
            api.wait_for("getUpdates", timeout=60)
            api.push_message("who leads ukraine", chat_id=321)
            api.wait_for("sendMessage", lambda c: c.params.get("chat_id") == 321, timeout=30)
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=20)
            stderr = (tmp_path / "stderr.log").read_text()
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == 0
    assert "stopping" in stderr and api.token not in stderr and "Traceback" not in stderr


def _zone_at_midday(now: dt.datetime) -> str:
    """A fixed-offset zone where it is around noon at `now`, so "an hour ago" is still today there."""
    offset = (12 - now.hour + 12) % 24 - 12
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"  # POSIX signs: Etc/GMT-3 is UTC+3


def _subscribe_missed_briefing(url: str, chat_id: int) -> None:
    """A subscription made two hours ago for a time one hour ago: its briefing was missed while down."""
    from knowledge.store.store import Store
    from knowledge.store.subscriptions import Subscriptions

    now = dt.datetime.now(dt.timezone.utc)
    zone = _zone_at_midday(now)
    due = (now - dt.timedelta(hours=1)).astimezone(ZoneInfo(zone)).strftime("%H:%M")

    async def subscribe() -> None:
        store = await Store.open(url)
        try:
            await store.ensure_pack()
            await Subscriptions(store.sessions).set(chat_id, due, zone, now - dt.timedelta(hours=2))
        finally:
            await store.close()

    asyncio.run(subscribe())


def test_missed_briefing_arrives_once_across_kill_and_restart(tmp_path: Path) -> None:
    import os
    import signal

    def briefings() -> list[Call]:
        return [
            c
            for c in api.calls_to("sendMessage", include_failed=False)
            if c.params.get("text", "").startswith("<b>Daily briefing")
        ]

    _subscribe_missed_briefing(f"sqlite+aiosqlite:///{tmp_path / 'p.db'}", 777)
    with BotAPIStandIn(long_poll_cap=0.5) as api:
        os.environ["BRIEFING_SWEEP_SECONDS"] = "0.2"
        try:
            process = _run_process(api, tmp_path, api.token)
            eventually_sync(lambda: len(briefings()) == 1, "the missed briefing was sent", timeout=60)
            assert briefings()[0].params["chat_id"] == 777
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            restarted = _run_process(api, tmp_path, api.token, log_name="restarted.log")
            try:
                log = tmp_path / "restarted.log"
                eventually_sync(
                    lambda: log.read_text().count("briefing-sweep") >= 6,
                    "the restarted bot ran several briefing sweeps",
                    timeout=60,
                )
            finally:
                restarted.send_signal(signal.SIGTERM)
                restarted.wait(timeout=30)
        finally:
            os.environ.pop("BRIEFING_SWEEP_SECONDS", None)
            if process.poll() is None:
                process.kill()
    assert len(briefings()) == 1
