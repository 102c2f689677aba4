"""The real bot serving packs it was never written for, and following the database as packs change.

Each test runs python-telegram-bot against the local Bot API stand-in, with a database that holds
only the invented harbour pack (tests/data/packs/harbour-2031-06), so nothing of the bundled pack
can answer.
"""

from __future__ import annotations

import asyncio
import io
import itertools
import logging
import shutil
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.app import serve
from bot.logs import configure_logging
from bot.settings import Settings
from knowledge.store.registry import list_packs
from knowledge.store.store import Store
from knowledge.store.unanswered import most_asked
from tests.support.botapi import BotAPIStandIn
from tests.test_bot_e2e import RunningBot
from tests.test_cli import Workspace, out_text

HARBOUR = Path(__file__).resolve().parent / "data" / "packs" / "harbour-2031-06"
ADMIN_ID = 77
OLD_BENTHIA = "Port Commissioner Tomas Reyne leads Benthia's delegation."
NEW_BENTHIA = "Port Commissioner Tomas Reyne heads Benthia's delegation."
_chats = itertools.count(9000)


@asynccontextmanager
async def harbour_bot(database: Path, poll_seconds: float = 3600.0) -> AsyncIterator[RunningBot]:
    url = f"sqlite+aiosqlite:///{database}"
    store = await Store.open(url)
    try:
        await store.load(HARBOUR)
    finally:
        await store.close()
    api = BotAPIStandIn(long_poll_cap=0.5).start()
    settings = Settings(
        _env_file=None,
        telegram_bot_token=api.token,
        telegram_base_url=api.base_url,
        database_url=url,
        admin_user_ids=(ADMIN_ID,),
        pack_poll_seconds=poll_seconds,
    )
    log = io.StringIO()
    handler = configure_logging("INFO", [api.token], stream=log)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(settings, stop))
    try:
        await api.wait_for_async("getUpdates", timeout=60)
        yield RunningBot(api, log)
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
        logging.getLogger().removeHandler(handler)
        api.stop()
    assert api.server_errors == []
    assert "Traceback" not in log.getvalue() and "ERROR" not in log.getvalue()


async def ask(bot: RunningBot, text: str, **kwargs: object) -> str:
    return str((await bot.ask(text, chat_id=next(_chats), **kwargs))["text"])


async def run_cli(ws: Workspace, *args: str, **kwargs: str) -> subprocess.CompletedProcess[bytes]:
    """The CLI in a subprocess, waited for in a thread: the bot in this event loop keeps running meanwhile."""
    return await asyncio.to_thread(ws.run, *args, **kwargs)


def new_version(tmp_path: Path) -> Path:
    """The harbour pack with one statement reworded: a newer version of the same pack."""
    pack_dir = shutil.copytree(HARBOUR, tmp_path / "harbour-v2")
    facts = pack_dir / "facts.yaml"
    facts.write_text(facts.read_text().replace(OLD_BENTHIA, NEW_BENTHIA))
    return pack_dir


@pytest.mark.asyncio
async def test_a_pack_about_another_event_answers_questions_lead_brief_and_about(tmp_path: Path) -> None:
    async with harbour_bot(tmp_path / "t.db") as bot:
        answer = await ask(bot, "Who leads Benthia's team?")
        assert OLD_BENTHIA in answer and "Valmora Gazette" in answer and "Benthia's team is headed by" in answer
        assert "Harbour talks open in Valmora" in await ask(bot, "Where are the harbour talks?")
        everyone = await ask(bot, "/lead")
        assert "Ilse Varga" in everyone and "Tomas Reyne" in everyone
        one = await ask(bot, "/lead benthia")
        assert "Tomas Reyne" in one and "Ilse Varga" not in one
        assert (await ask(bot, "/lead ruritania")).startswith("Usage: /lead [Aldoria|Benthia]")
        brief = await ask(bot, "/brief")
        assert "<b>Where:</b> The harbour talks are being held in Valmora." in brief
        assert "<b>Goal:</b>" in brief and "Istanbul" not in brief
        assert "HarbourBot answers questions about the Valmora harbour talks" in await ask(bot, "/about")
        assert "harbour talks between Aldoria and Benthia" in await ask(bot, "/start")
        assert "Umerov" not in await ask(bot, "Who leads Ukraine's team?")
        usage = await ask(bot, "/ask")
        assert usage.startswith("Usage: /ask QUESTION, e.g.") and "Ukraine" not in usage


@pytest.mark.asyncio
async def test_a_running_bot_follows_a_newly_loaded_version_and_every_reply_is_old_or_new(tmp_path: Path) -> None:
    database = tmp_path / "t.db"
    async with harbour_bot(database, poll_seconds=0.05) as bot:
        store = await Store.open(f"sqlite+aiosqlite:///{database}")
        try:
            loading = asyncio.create_task(store.load(new_version(tmp_path)))
            replies: list[str] = []
            while not replies or NEW_BENTHIA not in replies[-1]:
                replies.append(await ask(bot, "Who leads Benthia's team?"))
                assert len(replies) < 500, "the bot never switched to the new version"
            assert (await loading).facts_updated == 1
        finally:
            await store.close()
        assert all((OLD_BENTHIA in r) != (NEW_BENTHIA in r) for r in replies)
        assert [p.id for p in await list_packs_of(database)] == ["harbour-2031-06"]


async def list_packs_of(database: Path) -> list:  # type: ignore[type-arg]
    store = await Store.open(f"sqlite+aiosqlite:///{database}")
    try:
        return await list_packs(store.sessions)
    finally:
        await store.close()


@pytest.mark.asyncio
async def test_reload_uses_what_the_database_holds_and_never_the_bundled_pack(tmp_path: Path) -> None:
    database = tmp_path / "t.db"
    async with harbour_bot(database) as bot:
        assert (await ask(bot, "/reload", user_id=ADMIN_ID)).startswith("Already current: packs harbour-2031-06")
        assert [p.id for p in await list_packs_of(database)] == ["harbour-2031-06"]
        ws = Workspace(tmp_path / "ws")
        loaded = await run_cli(ws, "load", str(new_version(tmp_path)), database_url=f"sqlite+aiosqlite:///{database}")
        assert loaded.returncode == 0
        assert (await ask(bot, "/reload", user_id=ADMIN_ID)).startswith("Reloaded: packs harbour-2031-06, 4 facts")
        assert NEW_BENTHIA in await ask(bot, "Who leads Benthia's team?")


@pytest.mark.asyncio
async def test_an_ingested_article_with_a_new_fact_and_intent_is_answered_after_load_and_reload(tmp_path: Path) -> None:
    database = tmp_path / "t.db"
    url = f"sqlite+aiosqlite:///{database}"
    pack_dir = shutil.copytree(HARBOUR, tmp_path / "pack")
    article = tmp_path / "article.txt"
    article.write_text("The talks were adjourned until Thursday.\nA ferry strike delayed the Benthian team.\n")
    ws = Workspace(tmp_path / "ws")
    async with harbour_bot(database) as bot:
        assert "I don't have a sourced answer" in await ask(bot, "Why were the talks adjourned?")
        ingested = await run_cli(
            ws,
            "ingest",
            str(article),
            "--title",
            "Talks adjourned",
            "--publisher",
            "Harbour Post",
            "--url",
            "https://post.example/adjourned",
            "--date",
            "2031-06-04",
            "--pack",
            str(pack_dir),
        )
        assert ingested.returncode == 0 and "- The talks were adjourned until Thursday." in out_text(ingested)
        with (pack_dir / "facts.yaml").open("a") as facts:
            facts.write(
                "  - id: adjourned\n    statement: The talks were adjourned until Thursday.\n"
                "    entities: [aldoria, benthia]\n    quotes:\n      - source: harbour-post-2031-06-04\n"
                "        text: The talks were adjourned until Thursday.\n"
            )
        with (pack_dir / "intents.yaml").open("a") as intents:
            intents.write(
                "  - id: adjourned\n    answer: adjourned\n"
                "    phrasings: [why were the talks adjourned, until when are the talks adjourned]\n"
            )
        assert (await run_cli(ws, "check", str(pack_dir))).returncode == 0
        assert (await run_cli(ws, "load", str(pack_dir), database_url=url)).returncode == 0
        assert (await ask(bot, "/reload", user_id=ADMIN_ID)).startswith("Reloaded: packs harbour-2031-06, 5 facts")
        answer = await ask(bot, "Until when are the talks adjourned?")
        assert "The talks were adjourned until Thursday." in answer and "Harbour Post" in answer


@pytest.mark.asyncio
async def test_unanswered_shows_administrators_grouped_questions(tmp_path: Path) -> None:
    database = tmp_path / "t.db"
    async with harbour_bot(database) as bot:
        assert "administrators" in await ask(bot, "/unanswered")
        for question in (
            "Who won the regatta?",
            "Who won the regatta?",
            "who won the regata",
            "What is the tide table?",
        ):
            await ask(bot, question)
        store = await Store.open(f"sqlite+aiosqlite:///{database}")
        try:

            async def all_logged() -> None:  # the bot logs declines in the background
                while sum(row.count for row in await most_asked(store.sessions)) < 4:
                    await asyncio.sleep(0.02)

            await asyncio.wait_for(all_logged(), 30)
        finally:
            await store.close()
        shown = await ask(bot, "/unanswered", user_id=ADMIN_ID)
        assert "3× Who won the regatta?" in shown and "1× What is the tide table?" in shown
