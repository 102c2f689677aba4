"""Resource bounds: per-chat state is freed when a chat goes quiet, and the webhook server
refuses an oversized body from its Content-Length, before reading it."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest
from telegram import Update

import handlers.context
from bot.app import build_application
from bot.settings import Settings
from handlers.context import CHAT_STATE_SECONDS, BotState, forget_idle_chats
from knowledge.answer import Answerer
from tests.support.botapi import BotAPIStandIn
from tests.support.running import running_bot
from tests.support.waiting import accepts_connections, eventually


async def test_the_state_of_idle_chats_is_dropped_and_active_chats_keep_theirs(
    answerer: Answerer, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [1000.0]
    monkeypatch.setattr(handlers.context, "clock", lambda: now[0])
    with BotAPIStandIn() as api:
        settings = Settings(_env_file=None, telegram_bot_token=api.token, telegram_base_url=api.base_url)
        application = build_application(settings, BotState(answerer, None, frozenset()))
        async with application:
            for chat in range(100, 150):
                update = api.push_message("who leads ukraine?", chat_id=chat)
                await application.process_update(Update.de_json(update, application.bot))
            assert len(application.chat_data) == 50
            now[0] += 100
            fresh = api.push_message("and russia?", chat_id=100)
            await application.process_update(Update.de_json(fresh, application.bot))
            now[0] += CHAT_STATE_SECONDS - 50
            assert forget_idle_chats(application) == 49
    assert list(application.chat_data) == [100]
    assert "Medinsky" in api.sent_messages()[-1]["text"]  # the follow-up still had its context


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_a_webhook_body_over_1_mb_is_refused_before_it_is_read(tmp_path: Path) -> None:
    port = _free_port()
    with BotAPIStandIn() as api:
        async with running_bot(
            api,
            tmp_path / "bot.db",
            webhook_url="https://bot.example.org/telegram",
            webhook_secret="s3cret-token",
            webhook_port=port,
        ):
            await eventually(lambda: accepts_connections("127.0.0.1", port), "the webhook port open")
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(
                b"POST /telegram HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"X-Telegram-Bot-Api-Secret-Token: wrong\r\nContent-Length: 50000000\r\n\r\n"
            )
            await writer.drain()  # headers only: the 50 MB never come
            status = await asyncio.wait_for(reader.readline(), 10)
            writer.close()
    assert status.split()[1] in (b"400", b"413")
