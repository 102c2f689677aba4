"""The inbox as the replicas' shared work queue on PostgreSQL: a chat's updates in order, one replica
at a time, other chats meanwhile. Real PostgreSQL (TALKSBOT_TEST_POSTGRES_URL); SQLite keeps its
one-process behaviour."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import text

from knowledge.store.inbox import LEASE, Inbox, chat_of
from knowledge.store.store import Store
from tests.support.waiting import eventually

START = dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)
on_postgres = pytest.mark.parametrize("any_store", ["postgresql"], indirect=True)


def message(update_id: int, chat_id: int) -> dict[str, Any]:
    return {"update_id": update_id, "message": {"message_id": update_id, "chat": {"id": chat_id}, "text": "hi"}}


def ids(updates: list[dict[str, Any]]) -> list[int]:
    return [int(update["update_id"]) for update in updates]


async def alive(store: Store, *names: str, now: dt.datetime = START) -> list[Inbox]:
    inboxes = [Inbox(store.sessions, 1, name, clock=lambda: now) for name in names]
    for inbox in inboxes:
        await inbox.heartbeat(now)
    return inboxes


def test_an_updates_chat_is_read_as_the_update_processor_sees_it() -> None:
    assert chat_of(message(1, -100)) == -100
    button = {"update_id": 2, "callback_query": {"id": "x", "message": {"chat": {"id": 7}}}}
    assert chat_of(button) == 7
    assert chat_of({"update_id": 3, "inline_query": {"id": "q", "from": {"id": 9}}}) is None
    assert chat_of(message(4, 2**70)) is None  # not a database integer: no chat rather than a failed write
    assert chat_of({"update_id": 5, "message": {"chat": {"id": True}}}) is None


@on_postgres
async def test_a_chats_next_update_waits_while_another_replica_works_on_the_earlier(any_store: Store) -> None:
    a, b = await alive(any_store, "a", "b")
    assert ids(await a.keep([message(1, 5)], START)) == [1]
    assert await b.keep([message(2, 5)], START) == []  # left in the queue, not answered beside update 1
    assert ids(await b.keep([message(3, 6)], START)) == [3]  # another chat goes on meanwhile
    assert await b.take_over(START, own=False) == []  # nor does b's periodic claim take it
    assert ids(await a.mark_all_handled([1])) == [2]  # whoever finishes the earlier one takes the next


@on_postgres
async def test_updates_waiting_behind_one_are_all_taken_in_order_when_it_is_handled(any_store: Store) -> None:
    a, b, c = await alive(any_store, "a", "b", "c")
    assert ids(await a.keep([message(1, 5)], START)) == [1]
    assert await b.keep([message(2, 5)], START) == []
    assert await c.keep([message(3, 5)], START) == []
    assert ids(await a.mark_all_handled([1])) == [2, 3]
    assert await b.keep([message(4, 5)], START) == []
    assert ids(await a.mark_all_handled([2, 3])) == [4]


@on_postgres
async def test_the_replica_holding_a_chat_takes_what_waits_behind_its_own(any_store: Store) -> None:
    a, b = await alive(any_store, "a", "b")
    assert ids(await a.keep([message(1, 5)], START)) == [1]
    assert await b.keep([message(2, 5)], START) == []
    assert ids(await a.keep([message(3, 5)], START)) == [2, 3]  # behind update 1 in its lane, in order


@on_postgres
async def test_a_replicas_own_update_in_flight_does_not_hold_back_its_next(any_store: Store) -> None:
    (a,) = await alive(any_store, "a")
    assert ids(await a.keep([message(1, 5)], START)) == [1]
    assert ids(await a.keep([message(2, 5), message(3, 5)], START)) == [2, 3]  # its lane keeps the order


@on_postgres
async def test_a_stopped_replicas_chat_is_taken_over_in_order(any_store: Store) -> None:
    a, b = await alive(any_store, "a", "b")
    await a.keep([message(1, 5)], START)
    assert await b.keep([message(2, 5)], START) == []
    later = START + LEASE + dt.timedelta(seconds=1)
    await b.heartbeat(later)
    (c,) = await alive(any_store, "c", now=later)
    assert ids(await b.take_over(later, own=False)) == [1, 2]
    assert await c.take_over(later, own=False) == []  # b is alive and works on the chat


@on_postgres
async def test_released_updates_are_taken_in_order_while_a_live_replica_holds_the_chat(any_store: Store) -> None:
    a, b = await alive(any_store, "a", "b")
    await a.keep([message(1, 5), message(2, 5)], START)
    await a.mark_all_handled([1])
    assert await a.release() == 1  # a stops cleanly with update 2 unhandled
    assert ids(await b.take_over(START, own=False)) == [2]
    assert await a.keep([message(3, 5)], START) == []  # a restarted: b works on the chat


@on_postgres
async def test_two_replicas_answer_one_chats_alternating_updates_in_order_and_once(any_store: Store) -> None:
    """As behind a load balancer: updates of three chats kept alternately by two replicas while both work."""
    replicas = await alive(any_store, "a", "b")
    queues: dict[str, asyncio.Queue[dict[str, Any]]] = {inbox.replica: asyncio.Queue() for inbox in replicas}
    holding: Counter[tuple[str, int | None]] = Counter()
    """Updates of a chat a replica has taken and not finished: never two replicas at once."""
    handled: list[tuple[str, int]] = []

    async def took(inbox: Inbox, updates: list[dict[str, Any]]) -> None:
        for update in updates:
            chat = chat_of(update)
            others = [
                name for (name, held), count in holding.items() if held == chat and count and name != inbox.replica
            ]
            assert not others, (inbox.replica, update["update_id"], others)
            holding[inbox.replica, chat] += 1
            await queues[inbox.replica].put(update)

    async def work(inbox: Inbox) -> None:
        while True:
            update = await queues[inbox.replica].get()
            await asyncio.sleep(0)  # the other replica runs meanwhile
            handled.append((inbox.replica, int(update["update_id"])))
            holding[inbox.replica, chat_of(update)] -= 1  # done; its row stays unhandled until the mark commits
            await took(inbox, await inbox.mark_all_handled([int(update["update_id"])]))

    workers = [asyncio.create_task(work(inbox)) for inbox in replicas]
    try:
        for update_id in range(1, 91):
            inbox = replicas[update_id % 2]
            await took(inbox, await inbox.keep([message(update_id, update_id % 3)], START))
        await eventually(lambda: len(handled) >= 90, "every update handled")
    finally:
        for worker in workers:
            worker.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
    assert sorted(update_id for _, update_id in handled) == list(range(1, 91))  # each once
    for chat in range(3):
        in_chat = [update_id for _, update_id in handled if update_id % 3 == chat]
        assert in_chat == sorted(in_chat), handled
    assert {replica for replica, _ in handled} == {"a", "b"}  # both did work


async def test_sqlite_keeps_to_one_process_and_records_the_chat(any_store: Store) -> None:
    a, b = await alive(any_store, "a", "b")
    shared = any_store.engine.dialect.name == "postgresql"
    assert a.shared is shared
    await a.keep([message(1, 5)], START)
    if not shared:  # one process: every kept update is handled at once, its lane keeping the order
        assert ids(await b.keep([message(2, 5)], START)) == [2]
    async with any_store.engine.connect() as connection:
        chats = (await connection.execute(text("SELECT chat_id FROM received_updates ORDER BY update_id"))).all()
        assert [chat for (chat,) in chats][0] == 5
        if shared:
            indexes = await connection.execute(
                text("SELECT indexdef FROM pg_indexes WHERE tablename = 'received_updates'")
            )
            assert any("WHERE (NOT handled)" in indexdef for (indexdef,) in indexes), "the waiting-updates index"
