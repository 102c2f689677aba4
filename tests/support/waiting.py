"""Waiting on conditions, never on the clock alone: on a busy machine a fixed sleep is a flake.

Each helper polls a predicate until it holds or a generous deadline passes, and then fails with a
message that says what never happened. The deadline only matters when something is broken.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable

from knowledge.crosslingual import VECTOR_THREAD

DEADLINE_SECONDS = 30.0


async def eventually(predicate: Callable[[], bool], what: str, timeout: float = DEADLINE_SECONDS) -> None:
    """Return as soon as `predicate()` holds; fail naming `what` once `timeout` has passed."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() >= deadline:
            raise AssertionError(f"within {timeout:.0f}s, never: {what}")
        await asyncio.sleep(0.02)


def eventually_sync(predicate: Callable[[], bool], what: str, timeout: float = DEADLINE_SECONDS) -> None:
    """`eventually` for tests without an event loop (real processes)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() >= deadline:
            raise AssertionError(f"within {timeout:.0f}s, never: {what}")
        time.sleep(0.05)


def accepts_connections(host: str, port: int) -> bool:
    """True once something listens on host:port."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def vectors_being_built() -> bool:
    """Whether a background thread still loads the sentence encoder or builds the target vectors
    (`CrossLingualMatcher.start_warming`): until it is done, Cyrillic questions get the keyword fallback."""
    return any(thread.name == VECTOR_THREAD and thread.is_alive() for thread in threading.enumerate())


async def encoder_settled(timeout: float = 120.0) -> None:
    """Wait until no background vector build runs, so a Cyrillic question gets the encoder's answer."""
    await eventually(lambda: not vectors_being_built(), "the background vector build finished", timeout)
