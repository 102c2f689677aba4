"""Keeping a running bot's knowledge equal to what the database holds, swapped in one step.

A new snapshot is read and its matcher built completely before it replaces the old answerer in a
single assignment; a handler that took the old answerer finishes with it. So a question asked
during a reload gets the old answer or the new one, never a mix of both and never an error.
Nothing here loads a pack: the database is the truth (`talksbot load` writes it), so an
operator's newer pack is never overwritten by the bundled one.
"""

from __future__ import annotations

from knowledge.answer import Answerer
from knowledge.store.registry import pack_stamp
from knowledge.store.store import Store


async def newer_answerer(store: Store, current: Answerer, force: bool = False) -> Answerer | None:
    """An answerer for what the database holds now, or None when `current` already is one (unless `force`)."""
    if not force and await pack_stamp(store.sessions) == current.knowledge.stamp:
        return None
    return await store.fresh_answerer()
