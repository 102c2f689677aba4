"""Replicas sharing one inbox: each takes over only what nobody alive is working on."""

from __future__ import annotations

import datetime as dt

from knowledge.store.inbox import LEASE, Inbox
from knowledge.store.store import Store

START = dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)


def ids(updates: list[dict[str, object]]) -> list[object]:
    return [update["update_id"] for update in updates]


async def test_a_replica_starting_leaves_a_live_replicas_updates_alone(any_store: Store) -> None:
    a, b = Inbox(any_store.sessions, 1, "a"), Inbox(any_store.sessions, 1, "b")
    await a.heartbeat(START)
    await a.keep([{"update_id": 1}, {"update_id": 2}], START)
    await b.heartbeat(START + dt.timedelta(seconds=1))
    assert await b.take_over(START + dt.timedelta(seconds=1), own=True) == []


async def test_a_restarted_replica_takes_back_its_own_at_once(any_store: Store) -> None:
    first = Inbox(any_store.sessions, 1, "a")
    await first.heartbeat(START)
    await first.keep([{"update_id": 2}, {"update_id": 1}], START)
    await first.mark_handled(2)
    again = Inbox(any_store.sessions, 1, "a")
    assert ids(await again.take_over(START + dt.timedelta(seconds=1), own=True)) == [1]
    assert await again.take_over(START + dt.timedelta(seconds=1), own=False) == []  # already in its queue


async def test_a_silent_replicas_updates_are_taken_over_by_one_other(any_store: Store) -> None:
    a, b, c = (Inbox(any_store.sessions, 1, name) for name in "abc")
    await a.heartbeat(START)
    await a.keep([{"update_id": 1}], START)
    later = START + LEASE + dt.timedelta(seconds=1)
    await b.heartbeat(later)
    await c.heartbeat(later)
    assert ids(await b.take_over(later, own=False)) == [1]
    assert await c.take_over(later, own=False) == []  # b is alive and has it
    assert await a.take_over(later, own=True) == []  # nor does a get it back


async def test_released_updates_go_to_whichever_replica_comes_first(any_store: Store) -> None:
    a, b = Inbox(any_store.sessions, 1, "a"), Inbox(any_store.sessions, 1, "b")
    await a.heartbeat(START)
    await a.keep([{"update_id": 1}, {"update_id": 2}], START)
    await a.mark_handled(1)
    assert await a.release() == 1
    assert ids(await b.take_over(START, own=False)) == [2]


async def test_other_bots_updates_are_never_taken(any_store: Store) -> None:
    await Inbox(any_store.sessions, 1, "a").keep([{"update_id": 1}], START)
    assert await Inbox(any_store.sessions, 2, "b").take_over(START + LEASE * 2, own=True) == []
