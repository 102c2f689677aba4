"""`talksbot run` as a real process against the local Bot API stand-in: start-up errors, clean
stops on SIGTERM, and a daily briefing that arrives once across kill -9 and restart."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.support.botapi import BotAPIStandIn


def _run_process(api: BotAPIStandIn, tmp_path: Path, token: str) -> subprocess.Popen[str]:
    import os
    import subprocess
    import sys

    env = dict(os.environ, TELEGRAM_BOT_TOKEN=token, TELEGRAM_BASE_URL=api.base_url,
               DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'p.db'}", LOG_LEVEL="DEBUG")
    env.pop("WEBHOOK_URL", None)
    log = open(tmp_path / "stderr.log", "w")  # a file, not a pipe: DEBUG output would fill a pipe and block
    return subprocess.Popen([sys.executable, "-m", "bot.cli", "run"], cwd=tmp_path, env=env,
                            stdout=subprocess.DEVNULL, stderr=log, text=True)


def test_run_without_token_is_one_clear_line(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    done = subprocess.run([sys.executable, "-m", "bot.cli", "run"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=60)
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
            api.wait_for("getUpdates", timeout=30)
            api.push_message("who leads ukraine", chat_id=321)
            api.wait_for("sendMessage", lambda c: c.params.get("chat_id") == 321, timeout=10)
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=20)
            stderr = (tmp_path / "stderr.log").read_text()
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == 0
    assert "stopping" in stderr and api.token not in stderr and "Traceback" not in stderr


def test_briefing_a_minute_ahead_arrives_once_across_kill_and_restart(tmp_path: Path) -> None:
    import datetime as dt
    import os
    import signal
    import time

    with BotAPIStandIn(long_poll_cap=0.5) as api:
        os.environ["BRIEFING_SWEEP_SECONDS"] = "1"
        try:
            process = _run_process(api, tmp_path, api.token)
            api.wait_for("getUpdates", timeout=30)
            ahead = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=1)).strftime("%H:%M")
            api.push_message(f"/subscribe {ahead} UTC", chat_id=777)
            api.wait_for("sendMessage", lambda c: "Daily briefing set" in c.params.get("text", ""), timeout=10)
            briefing = api.wait_for("sendMessage", lambda c: c.params.get("text", "").startswith("<b>Daily briefing"),
                                    timeout=90)
            assert briefing.params["chat_id"] == 777
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
            restarted = _run_process(api, tmp_path, api.token)
            try:
                calls_before = len(api.calls_to("getUpdates"))
                deadline = time.monotonic() + 30
                while len(api.calls_to("getUpdates")) <= calls_before + 2 and time.monotonic() < deadline:
                    time.sleep(0.2)
                time.sleep(3)  # several sweeps
            finally:
                restarted.send_signal(signal.SIGTERM)
                restarted.wait(timeout=20)
        finally:
            os.environ.pop("BRIEFING_SWEEP_SECONDS", None)
            if process.poll() is None:
                process.kill()
    briefings = [c for c in api.calls_to("sendMessage", include_failed=False)
                 if c.params.get("text", "").startswith("<b>Daily briefing")]
    assert len(briefings) == 1
