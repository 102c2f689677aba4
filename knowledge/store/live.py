"""Keeping a running bot's knowledge equal to what the database holds, swapped in one step.

A new snapshot is read and its matcher built completely before it replaces the old answerer in a
single assignment; a handler that took the old answerer finishes with it. So a question asked
during a reload gets the old answer or the new one, never a mix of both and never an error.
Nothing here loads a pack: the database is the truth (`talksbot load` writes it), so an
operator's newer pack is never overwritten by the bundled one.

The new answerer's sentence encoder and target vectors load in a background thread (encoding a
changed pack takes half a minute): until they are ready its Ukrainian and Russian questions get the
keyword fallback, and English ones never wait for them at all.
"""

from __future__ import annotations

from knowledge.answer import Answerer
from knowledge.store.registry import pack_stamp
from knowledge.store.store import Store


async def newer_answerer(store: Store, current: Answerer, force: bool = False) -> Answerer | None:
    """An answerer for what the database holds now, or None when `current` already is one (unless `force`)."""
    if not force and await pack_stamp(store.sessions) == current.knowledge.stamp:
        return None
    fresh = await store.fresh_answerer()
    current.crosslingual.stop_warming()  # replaced: a build still running for it is wasted work
    fresh.prepare_readers()
    fresh.crosslingual.start_warming()
    return fresh
