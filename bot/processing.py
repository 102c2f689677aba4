"""Handling updates concurrently: chats in parallel, each chat's messages in order, work bounded.

PTB's `concurrent_updates` hands every update to a `BaseUpdateProcessor`. This one makes an
update wait for its chat's lane first and for one of `in_flight` work slots second, so a chat
with a long queue (a group waiting out its send budget) holds one slot, not all of them, and a
crash interrupts at most `in_flight` updates. `stop()` lets running handlers finish for a grace
period and leaves the rest unhandled (the inbox keeps them for the next start).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)

IN_FLIGHT = 20
"""Updates handled at once by default: also the most a kill -9 can make the bot answer twice."""
QUEUED = 100_000
"""PTB's own semaphore only counts updates waiting for their lane; lanes and slots bound the work."""
WAITING = 1_000
"""Fetching from Telegram pauses while this many updates wait: a backlog stays there, not in memory."""


@dataclass
class _Lane:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


def lane_key(update: object) -> tuple[str, int] | None:
    """Updates of one chat (or, for inline queries, one user) share a lane; others need none."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return ("chat", update.effective_chat.id)
    if update.effective_user is not None:
        return ("user", update.effective_user.id)
    return None


class ChatOrderedProcessor(BaseUpdateProcessor):
    def __init__(
        self,
        in_flight: int = IN_FLIGHT,
        on_handled: Callable[[object], Awaitable[None]] | None = None,
        waiting: int = WAITING,
    ) -> None:
        super().__init__(max_concurrent_updates=QUEUED)
        self.in_flight = in_flight
        self.max_waiting = waiting
        self._waiting = 0
        self._room = asyncio.Event()
        self.on_handled = on_handled
        """Called once an update's handlers are done (not when it was cut short by stop())."""
        self._slots = asyncio.BoundedSemaphore(in_flight)
        self._lanes: dict[tuple[str, int], _Lane] = {}
        self._running: set[asyncio.Task[Any]] = set()
        self._stopping = False

    @property
    def lanes(self) -> int:
        """Chats with updates waiting or running (their lanes are freed when empty)."""
        return len(self._lanes)

    @property
    def running(self) -> int:
        return len(self._running)

    @property
    def waiting(self) -> int:
        """Updates handed over and not finished (waiting for their lane or a slot, or running)."""
        return self._waiting

    async def wait_for_room(self) -> int:
        """How many more updates may be fetched, once that is at least one (or 1 at once when stopping)."""
        while self._waiting >= self.max_waiting and not self._stopping:
            self._room.clear()
            await self._room.wait()
        return max(1, self.max_waiting - self._waiting)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        self._waiting += 1
        try:
            await self._in_lane(update, coroutine)
        finally:
            self._waiting -= 1
            if self._waiting < self.max_waiting:
                self._room.set()

    async def _in_lane(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = lane_key(update)
        if key is None:
            await self._work(update, coroutine)
            return
        lane = self._lanes.setdefault(key, _Lane())
        lane.users += 1
        try:
            async with lane.lock:
                await self._work(update, coroutine)
        finally:
            lane.users -= 1
            if lane.users == 0:
                del self._lanes[key]

    async def _work(self, update: object, coroutine: Awaitable[Any]) -> None:
        if self._stopping:
            _discard(coroutine)
            return
        async with self._slots:
            if self._stopping:
                _discard(coroutine)
                return
            task = asyncio.current_task()
            assert task is not None
            self._running.add(task)
            try:
                failed: Exception | None = None
                try:
                    await coroutine
                except Exception as exc:  # PTB's own bookkeeping failed (its handlers' errors never get here)
                    failed = exc
                if self.on_handled is not None:
                    # inside the slot: done but unrecorded is still in flight. Recorded even if it failed:
                    # it would fail again after every restart.
                    await self.on_handled(update)
                if failed is not None:
                    raise failed
            finally:
                self._running.discard(task)

    async def stop(self, grace: float) -> None:
        """Start nothing new; give running handlers `grace` seconds, then cancel them."""
        self._stopping = True
        self._room.set()
        if not self._running:
            return
        _, late = await asyncio.wait(set(self._running), timeout=grace)
        if late:
            log.info("stopping: %d updates cut short; they are handled after the next start", len(late))
        for task in late:
            task.cancel()

    async def initialize(self) -> None:
        self._stopping = False

    async def shutdown(self) -> None:
        pass


def _discard(coroutine: Awaitable[Any]) -> None:
    if isinstance(coroutine, Coroutine):
        coroutine.close()
