"""The bot's HTTP side, for real: `serve()` against the Bot API stand-in, with requests over HTTP to the
webhook at a custom path, /healthz, /readyz (database up and gone), /metrics, and /stats totals that
survive a restart. Nothing of ours is replaced; the database is a SQLite file."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import serve
from bot.settings import Settings
from tests.support.botapi import BotAPIStandIn
from tests.support.waiting import accepts_connections, eventually

ADMIN_ID = 4242
SECRET = "s3cret-value"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def http(method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        try:
            return exc.code, exc.read().decode(errors="replace")
        except ConnectionError:  # a refused body: the server answers, then closes without reading it
            return exc.code, ""
    except (ConnectionError, urllib.error.URLError) as exc:
        return 0, str(exc)


async def get(port: int, path: str) -> tuple[int, str]:
    return await asyncio.to_thread(http, "GET", f"http://127.0.0.1:{port}{path}")


async def post_update(port: int, path: str, update: dict[str, Any], secret: str = SECRET) -> int:
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret}
    status, _ = await asyncio.to_thread(
        http, "POST", f"http://127.0.0.1:{port}{path}", json.dumps(update).encode(), headers
    )
    return status


@contextlib.asynccontextmanager
async def running(api: BotAPIStandIn, database: Path, **overrides: Any) -> AsyncIterator[int]:
    """`serve()` until the block ends; yields the HTTP port (webhook or metrics)."""
    port = free_port()
    webhook = "webhook_url" in overrides
    settings = Settings(
        _env_file=None,
        telegram_bot_token=api.token,
        telegram_base_url=api.base_url,
        database_url=f"sqlite+aiosqlite:///{database}",
        admin_user_ids=(ADMIN_ID,),
        webhook_listen="127.0.0.1",
        **({"webhook_port": port, "webhook_secret": SECRET} if webhook else {"metrics_port": port}),
        **overrides,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(serve(settings, stop))
    try:
        await eventually(lambda: accepts_connections("127.0.0.1", port) or task.done(), "the HTTP port opened")
        if task.done():
            task.result()
        yield port
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)


def metric(page: str, name: str, **labels: str) -> float:
    """The value of one sample in a Prometheus text page (0 when absent)."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    line_start = f"{name}{{{wanted}}} " if labels else f"{name} "
    for line in page.splitlines():
        if line.startswith(line_start):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


async def reaches(port: int, name: str, value: float, **labels: str) -> None:
    """Wait until the metric is at least `value` (a send is counted when its response is back)."""
    deadline = asyncio.get_running_loop().time() + 30
    while metric((await get(port, "/metrics"))[1], name, **labels) < value:
        assert asyncio.get_running_loop().time() < deadline, f"{name}{labels} never reached {value}"
        await asyncio.sleep(0.05)


async def test_webhook_listens_at_the_path_of_webhook_url_and_serves_health_on_the_same_port(tmp_path: Path) -> None:
    with BotAPIStandIn() as api:
        async with running(api, tmp_path / "w.db", webhook_url="https://bot.example.org/hook") as port:
            hook = await api.wait_for_async("setWebhook", timeout=30)
            assert hook.params["url"] == "https://bot.example.org/hook" and hook.params["secret_token"] == SECRET
            update = api.push_message("who leads ukraine", chat_id=99)
            assert await post_update(port, "/telegram", update) == 404
            assert await post_update(port, "/hook", update, secret="wrong") == 403
            assert await post_update(port, "/hook", update) == 200
            sent = await api.wait_for_async("sendMessage", lambda c: c.params.get("chat_id") == 99, timeout=30)
            assert "Umerov" in sent.params["text"]
            assert await get(port, "/healthz") == (200, "ok\n")
            assert await get(port, "/readyz") == (200, "ready\n")


async def test_webhook_path_setting_overrides_the_url_path(tmp_path: Path) -> None:
    """Behind a proxy that rewrites paths, WEBHOOK_PATH is where the bot listens."""
    with BotAPIStandIn() as api:
        async with running(
            api, tmp_path / "w.db", webhook_url="https://bot.example.org/public/hook", webhook_path="/internal"
        ) as port:
            update = api.push_message("where are the talks", chat_id=98)
            assert await post_update(port, "/public/hook", update) == 404
            assert await post_update(port, "/internal", update) == 200
            await api.wait_for_async("sendMessage", lambda c: c.params.get("chat_id") == 98, timeout=30)


async def test_webhook_refuses_bodies_over_one_megabyte_and_handles_nothing(tmp_path: Path) -> None:
    with BotAPIStandIn() as api:
        async with running(api, tmp_path / "w.db", webhook_url="https://bot.example.org/hook") as port:
            update = api.push_message("who leads ukraine " + "x" * (1024 * 1024), chat_id=97)
            assert await post_update(port, "/hook", update) in (0, 400, 413)  # refused, or cut off unread
            assert (await get(port, "/healthz"))[0] == 200  # still serving
            small = api.push_message("who leads ukraine", chat_id=96)
            assert await post_update(port, "/hook", small) == 200
            await api.wait_for_async("sendMessage", lambda c: c.params.get("chat_id") == 96, timeout=30)
            assert not [c for c in api.calls_to("sendMessage") if c.params.get("chat_id") == 97]


async def test_webhook_answers_200_to_an_update_the_library_cannot_read_logs_it_once_and_goes_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A poll without the fields PTB requires (an older self-hosted Bot API server sends such): a 4xx or
    5xx would make Telegram deliver it again and again, so it gets its 200, one line, and no text."""
    caplog.set_level(logging.INFO)
    with BotAPIStandIn() as api:
        async with running(api, tmp_path / "w.db", webhook_url="https://bot.example.org/hook") as port:
            poison = {"update_id": 900_001, "poll": {"id": "5", "question": "private words"}}
            unreadable = {"update_id": 900_002, "message": {"message_id": 3, "text": "private words"}}  # no chat
            assert await post_update(port, "/hook", poison) == 200
            assert await post_update(port, "/hook", unreadable) == 200
            assert await post_update(port, "/hook", {"no": "update id"}) == 400  # not from Telegram at all
            for chat in (95, 94):
                assert await post_update(port, "/hook", api.push_message("who leads ukraine", chat_id=chat)) == 200
                sent = await api.wait_for_async("sendMessage", lambda c, chat=chat: c.params.get("chat_id") == chat)
                assert "Umerov" in sent.params["text"]
            assert await post_update(port, "/hook", poison) == 200  # delivered again: kept, not logged again
    for update_id in (900_001, 900_002):
        lines = [r for r in caplog.records if f"update {update_id}" in r.getMessage() and r.levelno >= logging.INFO]
        assert len(lines) == 1 and lines[0].levelno == logging.WARNING, [r.getMessage() for r in lines]
    assert not [r for r in caplog.records if r.levelno >= logging.INFO and "private words" in r.getMessage()]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_readiness_fails_when_the_database_is_gone_while_liveness_holds(tmp_path: Path) -> None:
    database = tmp_path / "gone.db"
    with BotAPIStandIn(long_poll_cap=0.5) as api:
        async with running(api, database) as port:
            assert await get(port, "/readyz") == (200, "ready\n")
            database.unlink()
            status, body = await get(port, "/readyz")
            assert status == 503 and "database" in body
            assert await get(port, "/healthz") == (200, "ok\n")


async def test_metrics_move_after_a_question_in_polling_mode_on_metrics_port(tmp_path: Path) -> None:
    with BotAPIStandIn(long_poll_cap=0.5) as api:
        async with running(api, tmp_path / "m.db") as port:
            before = (await get(port, "/metrics"))[1]
            api.push_message("who leads ukraine", chat_id=501)
            api.push_message("who is the mayor of istanbul", chat_id=502)
            api.push_message("Сколько лет Умерову?", chat_id=503)  # declined, and counted as Russian
            for chat in (501, 502, 503):
                await api.wait_for_async(
                    "sendMessage", lambda c, chat=chat: c.params.get("chat_id") == chat, timeout=30
                )
            await reaches(port, "talksbot_telegram_request_seconds_count", 3, method="sendMessage")
            after = (await get(port, "/metrics"))[1]
            assert (
                metric(after, "talksbot_questions_total", outcome="answered", language="en")
                == metric(before, "talksbot_questions_total", outcome="answered", language="en") + 1
            )
            assert metric(after, "talksbot_questions_total", outcome="declined", language="en") >= 1
            assert metric(after, "talksbot_questions_total", outcome="declined", language="ru") >= 1
            assert metric(after, "talksbot_updates_total", type="message") >= 2
            assert metric(after, "talksbot_answer_seconds_count") >= 2
            assert "talksbot_briefings_total" in after and "talksbot_telegram_retries_total" in after
            assert await asyncio.to_thread(container_probe, port) == 0


def container_probe(port: int) -> int:
    """The Dockerfile's HEALTHCHECK command, run as Docker would (settings from the environment)."""
    env = {k: v for k, v in os.environ.items() if k not in ("WEBHOOK_URL", "DATABASE_URL")}
    env["METRICS_PORT"] = str(port)
    probe = subprocess.run([sys.executable, "-m", "bot.healthcheck"], env=env, capture_output=True, timeout=60)
    return probe.returncode


async def test_telegram_errors_and_retries_are_counted(tmp_path: Path) -> None:
    with BotAPIStandIn(long_poll_cap=0.5) as api:
        async with running(api, tmp_path / "e.db") as port:
            api.fail_next("sendMessage", status=502, times=1)
            api.push_message("who leads ukraine", chat_id=601)
            await api.wait_for_async("sendMessage", lambda c: c.params.get("chat_id") == 601 and c.ok, timeout=30)
            page = (await get(port, "/metrics"))[1]
            assert metric(page, "talksbot_telegram_retries_total", method="sendMessage") >= 1
            assert metric(page, "talksbot_telegram_errors_total", code="network") >= 1


async def test_stats_totals_survive_a_restart(tmp_path: Path) -> None:
    database = tmp_path / "s.db"
    with BotAPIStandIn(long_poll_cap=0.5) as api:
        async with running(api, database):
            api.push_message("who leads ukraine", chat_id=701)
            await api.wait_for_async("sendMessage", lambda c: c.params.get("chat_id") == 701, timeout=30)
        api.clear_calls()
        async with running(api, database):
            api.push_message("/stats", chat_id=ADMIN_ID, user_id=ADMIN_ID)
            stats = await api.wait_for_async("sendMessage", lambda c: c.params.get("chat_id") == ADMIN_ID, timeout=30)
    assert "In all: 1 questions, 1 answered, 0 declined." in stats.params["text"]


async def test_polling_without_metrics_port_opens_no_http_port(tmp_path: Path) -> None:
    port = free_port()
    with BotAPIStandIn(long_poll_cap=0.5) as api:
        settings = Settings(
            _env_file=None,
            telegram_bot_token=api.token,
            telegram_base_url=api.base_url,
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'p.db'}",
            webhook_port=port,
        )
        stop = asyncio.Event()
        task = asyncio.create_task(serve(settings, stop))
        try:
            await api.wait_for_async("getUpdates", timeout=30)
            assert not accepts_connections("127.0.0.1", port)
        finally:
            stop.set()
            await asyncio.wait_for(task, 30)


async def test_briefings_sent_are_counted(tmp_path: Path) -> None:
    from tests.test_bot_process import _subscribe_missed_briefing

    database = tmp_path / "b.db"
    await asyncio.to_thread(_subscribe_missed_briefing, f"sqlite+aiosqlite:///{database}", 888)
    with BotAPIStandIn(long_poll_cap=0.5) as api:
        async with running(api, database, briefing_sweep_seconds=0.2) as port:
            await api.wait_for_async("sendMessage", lambda c: c.params.get("chat_id") == 888, timeout=30)

            await reaches(port, "talksbot_briefings_total", 1, outcome="sent")
