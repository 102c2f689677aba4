"""The real bot (`bot.app.serve`) running in the test's event loop against a Bot API stand-in."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bot.app import serve
from bot.settings import Settings
from tests.support.botapi import BotAPIStandIn
from tests.support.waiting import eventually


def bot_settings(api: BotAPIStandIn, database: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"database_url": f"sqlite+aiosqlite:///{database}", **overrides}
    return Settings(_env_file=None, telegram_bot_token=api.token, telegram_base_url=api.base_url, **values)


@asynccontextmanager
async def running_bot(api: BotAPIStandIn, database: Path, **overrides: Any) -> AsyncIterator[asyncio.Task[None]]:
    """Start the bot, wait for its first poll (or setWebhook), and stop it (within 15 s) on the way out."""
    stop = asyncio.Event()
    ready = "setWebhook" if overrides.get("webhook_url") else "getUpdates"
    calls_before = len(api.calls_to(ready))
    task = asyncio.create_task(serve(bot_settings(api, database, **overrides), stop))
    await eventually(lambda: len(api.calls_to(ready)) > calls_before or task.done(), f"the first {ready}")
    if task.done():
        task.result()  # it failed to start: say why
    try:
        yield task
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)
