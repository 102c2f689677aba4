"""Pausing Python's cyclic garbage collector while big, long-lived structures are built.

Reading a 100,000-intent pack or building its index creates millions of containers, none of them
garbage; every few thousand allocations the collector walks all of them again. Paused, reading
the pack's YAML takes a quarter of the time. Reference counting still frees everything as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
