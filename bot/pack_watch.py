"""A running bot follows the database: it polls the pack stamp and swaps in new knowledge.

So `talksbot load` (or `talksbot unload`) on any machine reaches every running bot within one
poll interval, without a restart or a /reload.
"""

from __future__ import annotations

import logging

from telegram.ext import Application, ContextTypes

from handlers.context import BotState
from knowledge.store.db import STORE_FAULTS, one_line
from knowledge.store.live import newer_answerer

log = logging.getLogger(__name__)
POLL_SECONDS = 30.0


async def _poll(context: ContextTypes.DEFAULT_TYPE) -> None:
    state: BotState = context.bot_data["state"]
    if state.store is None:
        return
    try:
        fresh = await newer_answerer(state.store, state.answerer)
    except STORE_FAULTS as exc:
        log.warning("pack poll failed, keeping the current knowledge: %s", one_line(exc))
        return
    if fresh is not None:
        state.answerer = fresh
        log.info(
            "knowledge replaced: packs %s, %d facts",
            ", ".join(fresh.knowledge.packs) or "none",
            len(fresh.knowledge.facts),
        )


def start_pack_watch(application: Application, seconds: float = POLL_SECONDS) -> None:
    job_queue = application.job_queue
    if job_queue is None:
        raise RuntimeError("python-telegram-bot was installed without the job-queue extra")
    job_queue.run_repeating(_poll, interval=seconds, first=seconds, name="pack-watch")
