"""The update inbox: updates are written here before Telegram is told they arrived.

Telegram forgets an update once a later getUpdates names a higher offset. Keeping each update
first means a crash at any moment loses nothing: on restart the unhandled ones are worked off
from here, and only those that were being handled at the crash can be answered twice.

On PostgreSQL the inbox is also the replicas' shared work queue, ordered per chat. Behind a load
balancer two messages of one chat can reach two replicas; each would answer at once, and the replies
could cross. So an update with a chat is kept unowned and then claimed: a replica takes a chat's
waiting updates, oldest first, only up to the first one another live replica works on; the rest wait
until the replica that finishes the earlier one (or any replica's periodic claim) takes them. Within
one replica the update processor keeps a chat's order. SQLite serves one process and skips all this.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from collections.abc import Awaitable, Callable, Collection
from typing import Any

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from knowledge.store.db import STORE_FAULTS, one_line
from knowledge.store.tables import ReceivedUpdate, Replica

log = logging.getLogger(__name__)

KEEP_HANDLED = dt.timedelta(minutes=10)
"""How long a handled update's id stays after newer ones came: an update delivered again meanwhile (a
load balancer retrying on another replica, Telegram after a lost 200) is recognised, not answered twice."""
LEASE = dt.timedelta(seconds=30)
"""A replica not seen for this long has stopped: another takes over the updates it left unhandled."""


BIGINT = range(-(2**63), 2**63)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def chat_of(raw: dict[str, Any]) -> int | None:
    """The chat an update comes from (its message's, or the message under a pressed button), as the
    update processor's lanes see it; None without one or when it is not a usable number."""
    for key, value in raw.items():
        if key == "update_id" or not isinstance(value, dict):
            continue
        chat = value.get("chat")
        if chat is None and isinstance(value.get("message"), dict):
            chat = value["message"].get("chat")
        chat_id = chat.get("id") if isinstance(chat, dict) else None
        return chat_id if type(chat_id) is int and chat_id in BIGINT else None
    return None


class Inbox:
    """One bot's received updates (several bots may share a database, keyed by bot id)."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        bot_id: int,
        replica: str = "",
        clock: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        self.sessions = sessions
        self.bot_id = bot_id
        self.replica = replica
        """This process's name among replicas sharing the database (the same after a restart)."""
        self.clock = clock
        """For the liveness of other replicas when claiming after handled marks."""
        bind = sessions.kw.get("bind")
        self.shared = bind is not None and bind.dialect.name == "postgresql"
        """A work queue ordered per chat, for replicas (PostgreSQL); SQLite keeps to one process."""
        self.writing = asyncio.Lock()
        """This process's inbox writes take turns here rather than in SQLite's busy handler, which
        sleeps whole milliseconds between tries."""

    async def next_update_id(self) -> int:
        """The first update id not yet kept (0 when none was): polling goes on from there."""
        async with self.sessions() as session:
            newest = await session.scalar(
                select(func.max(ReceivedUpdate.update_id)).where(ReceivedUpdate.bot_id == self.bot_id)
            )
        return 0 if newest is None else int(newest) + 1

    async def keep(self, updates: list[dict[str, Any]], now: dt.datetime) -> list[dict[str, Any]]:
        """Store the updates not kept yet and return them (in a shared queue: those this replica claimed,
        with any earlier of their chats that waited); handled rows but the newest are pruned once
        KEEP_HANDLED has passed since they were received."""
        if not updates:
            return []
        try:
            fresh = await self._keep(updates, now)
        except IntegrityError:  # another process kept some of them first: those are not ours
            fresh = await self._keep(updates, now)
        chats = {chat_of(raw) for raw in fresh} - {None} if self.shared else set()
        if not chats:
            return fresh
        # Kept unowned and committed first: a replica finishing the chat's earlier update then sees it.
        ready = [raw for raw in fresh if chat_of(raw) is None]
        try:
            claimed = await self.claim(now, {chat for chat in chats if chat is not None})
        except STORE_FAULTS as exc:
            log.warning("kept updates not claimed (%s); the periodic claim takes them", one_line(exc))
            return ready
        return sorted(ready + claimed, key=lambda raw: int(raw["update_id"]))

    async def _keep(self, updates: list[dict[str, Any]], now: dt.datetime) -> list[dict[str, Any]]:
        ids = [int(raw["update_id"]) for raw in updates]
        async with self.writing, self.sessions() as session, session.begin():
            known = set(
                await session.scalars(
                    select(ReceivedUpdate.update_id).where(
                        ReceivedUpdate.bot_id == self.bot_id, ReceivedUpdate.update_id.in_(ids)
                    )
                )
            )
            fresh = [raw for raw in updates if int(raw["update_id"]) not in known]
            if fresh:  # the whole batch in one statement and one transaction
                await session.execute(
                    insert(ReceivedUpdate),
                    [
                        {
                            "bot_id": self.bot_id,
                            "update_id": int(raw["update_id"]),
                            "payload": json.dumps(raw),
                            "received_at": now,
                            "handled": False,
                            "chat_id": chat,
                            "taken_by": None if self.shared and chat is not None else self.replica,
                        }
                        for raw, chat in ((raw, chat_of(raw)) for raw in fresh)
                    ],
                )
            await session.execute(
                delete(ReceivedUpdate).where(
                    ReceivedUpdate.bot_id == self.bot_id,
                    ReceivedUpdate.handled.is_(True),
                    ReceivedUpdate.update_id < max(ids),
                    ReceivedUpdate.received_at < now - KEEP_HANDLED,
                )
            )
        return fresh

    async def mark_handled(self, update_id: int) -> list[dict[str, Any]]:
        return await self.mark_all_handled([update_id])

    async def mark_all_handled(self, update_ids: list[int]) -> list[dict[str, Any]]:
        """One transaction for them all; what users wrote is kept no longer than needed. In a shared
        queue, returns the next waiting updates of their chats, now this replica's to handle."""
        if not update_ids:
            return []
        marking = (
            update(ReceivedUpdate)
            .where(ReceivedUpdate.bot_id == self.bot_id, ReceivedUpdate.update_id.in_(update_ids))
            .values(handled=True, payload="")
        )
        async with self.writing, self.sessions() as session, session.begin():
            if not self.shared:
                await session.execute(marking)
                return []
            chats = set((await session.scalars(marking.returning(ReceivedUpdate.chat_id))).all()) - {None}
        if not chats:
            return []
        try:  # after the commit, so that a claim which saw these unhandled waits on a lock, not forever
            return await self.claim(self.clock(), {chat for chat in chats if chat is not None})
        except STORE_FAULTS as exc:
            log.warning("next updates of handled chats not claimed (%s); the periodic claim takes them", one_line(exc))
            return []

    async def unhandled(self) -> list[dict[str, Any]]:
        """Kept but not handled (a crash or a stop came first), oldest first."""
        async with self.sessions() as session:
            rows = await session.scalars(
                select(ReceivedUpdate.payload)
                .where(ReceivedUpdate.bot_id == self.bot_id, ReceivedUpdate.handled.is_(False))
                .order_by(ReceivedUpdate.update_id)
            )
            return [json.loads(payload) for payload in rows]

    async def heartbeat(self, now: dt.datetime) -> None:
        """This replica is alive: the updates it took stay its own for LEASE from now."""
        async with self.sessions() as session, session.begin():
            dialect = session.bind.dialect.name if session.bind is not None else ""
            upsert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            statement = upsert(Replica).values(bot_id=self.bot_id, name=self.replica, seen_at=now)
            await session.execute(
                statement.on_conflict_do_update(
                    index_elements=["bot_id", "name"], set_={"seen_at": statement.excluded.seen_at}
                )
            )

    async def take_over(self, now: dt.datetime, *, own: bool, lease: dt.timedelta = LEASE) -> list[dict[str, Any]]:
        """Unhandled updates nobody works on, made this replica's, oldest first: released at a clean
        stop, or taken by a replica not seen for `lease`, and with `own` (at start) this replica's own
        from before a crash or stop. Updates of replicas that are alive are left to them. In a shared
        queue, a chat's order holds too (see `claim`)."""
        if self.shared:
            return await self.claim(now, own=own, skip_locked=True, lease=lease)
        alive = select(Replica.name).where(
            Replica.bot_id == self.bot_id, Replica.seen_at >= now - lease, Replica.name != self.replica
        )
        claimable = or_(ReceivedUpdate.taken_by.is_(None), ReceivedUpdate.taken_by.not_in(alive))
        if not own:
            claimable = claimable & (ReceivedUpdate.taken_by.is_(None) | (ReceivedUpdate.taken_by != self.replica))
        async with self.sessions() as session, session.begin():
            rows = (
                await session.execute(
                    update(ReceivedUpdate)
                    .where(ReceivedUpdate.bot_id == self.bot_id, ReceivedUpdate.handled.is_(False), claimable)
                    .values(taken_by=self.replica)
                    .returning(ReceivedUpdate.update_id, ReceivedUpdate.payload)
                )
            ).all()
        return [json.loads(payload) for _, payload in sorted(rows)]

    async def claim(
        self,
        now: dt.datetime,
        chats: Collection[int] | None = None,
        *,
        own: bool = False,
        skip_locked: bool = False,
        lease: dt.timedelta = LEASE,
    ) -> list[dict[str, Any]]:
        """PostgreSQL: the updates this replica may handle now (of `chats`, or of any chat), made its
        own, oldest first. Claimable are the unowned ones and those of replicas not seen for `lease`
        (with `own`, this replica's from before a restart too). A chat's are taken in order up to the
        first that is not claimable here: another live replica works on it, or another transaction
        holds its lock. This replica's own updates in flight do not stop it: its lanes keep the order.

        Row locks make two claims of one chat take turns. Claims after a keep or a handled mark wait for
        the lock, so they see the last committed state: had the other claim seen an earlier update
        still unhandled, this one, coming later, takes the waiting update. The periodic claim skips
        locked rows (`skip_locked`): it is only the fallback and never waits behind the others."""
        alive = select(Replica.name).where(
            Replica.bot_id == self.bot_id, Replica.seen_at >= now - lease, Replica.name != self.replica
        )
        claimable = ReceivedUpdate.taken_by.is_(None) | ReceivedUpdate.taken_by.not_in(alive)
        if not own:
            claimable = ReceivedUpdate.taken_by.is_(None) | (
                ReceivedUpdate.taken_by.not_in(alive) & (ReceivedUpdate.taken_by != self.replica)
            )
        unhandled = (ReceivedUpdate.bot_id == self.bot_id) & ReceivedUpdate.handled.is_(False)
        async with self.sessions() as session, session.begin():
            locking = select(ReceivedUpdate.update_id, ReceivedUpdate.chat_id).where(unhandled, claimable)
            if chats is not None:
                locking = locking.where(ReceivedUpdate.chat_id.in_(chats))
            locking = locking.order_by(ReceivedUpdate.update_id).with_for_update(skip_locked=skip_locked)
            locked = dict((await session.execute(locking)).all())
            take = [update_id for update_id, chat in locked.items() if chat is None]
            queued = {chat for chat in locked.values() if chat is not None}
            if queued:
                stopped: set[int] = set()
                in_order = (
                    select(ReceivedUpdate.update_id, ReceivedUpdate.chat_id, ReceivedUpdate.taken_by)
                    .where(unhandled, ReceivedUpdate.chat_id.in_(queued))
                    .order_by(ReceivedUpdate.update_id)
                )
                for update_id, chat, taken_by in await session.execute(in_order):
                    if chat is None or chat in stopped:
                        continue
                    if update_id in locked:
                        take.append(update_id)
                    elif taken_by != self.replica:
                        stopped.add(chat)
            if not take:
                return []
            taken = await session.execute(
                update(ReceivedUpdate)
                .where(ReceivedUpdate.bot_id == self.bot_id, ReceivedUpdate.update_id.in_(take))
                .values(taken_by=self.replica)
                .returning(ReceivedUpdate.update_id, ReceivedUpdate.payload)
            )
            rows = taken.all()
        return [json.loads(payload) for _, payload in sorted(rows)]

    async def release(self) -> int:
        """At a clean stop: this replica's unhandled updates are left for whichever replica comes first."""
        async with self.sessions() as session, session.begin():
            result = await session.execute(
                update(ReceivedUpdate)
                .where(
                    ReceivedUpdate.bot_id == self.bot_id,
                    ReceivedUpdate.handled.is_(False),
                    ReceivedUpdate.taken_by == self.replica,
                )
                .values(taken_by=None)
            )
        return int(getattr(result, "rowcount", 0) or 0)


class HandledMarks:
    """Group commit of "handled" marks: each update's mark waits here and is written with the others
    waiting, in one transaction, once `batch` are waiting or `linger` seconds after the first.

    `mark` returns only once its mark is committed. The bot awaits it before an update's work slot
    is freed, so what a kill -9 can leave unmarked stays within the work in flight, which is all
    that may be answered twice after a restart. `close` writes what is waiting (at a stop).
    """

    def __init__(
        self,
        inbox: Inbox,
        *,
        batch: int = 100,
        linger: float = 0.005,
        claimed: Callable[[list[dict[str, Any]]], Awaitable[None]] | None = None,
    ) -> None:
        self.inbox = inbox
        self.batch = batch
        self.linger = linger
        self.claimed = claimed
        """Given the updates a shared queue handed this replica after a commit (the next of those chats)."""
        self._waiting: list[tuple[int, asyncio.Future[None]]] = []
        self._full = asyncio.Event()
        self._writer: asyncio.Task[None] | None = None
        self._closing = False
        self.commits = 0
        """Transactions written (for tests and figures: far fewer than marks under load)."""

    async def mark(self, update_id: int) -> None:
        """Return once `update_id` is marked handled in the database (raise what the write raised)."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((update_id, done))
        if len(self._waiting) >= self.batch:
            self._full.set()
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_all(), name="inbox-handled-marks")
        await asyncio.shield(done)  # a caller cancelled at a stop leaves its mark to be written

    async def close(self) -> None:
        """Write every mark still waiting, now, and stop the writer."""
        self._closing = True
        self._full.set()
        if self._writer is not None:
            await asyncio.shield(self._writer)
        self._closing = False

    async def _write_all(self) -> None:
        while self._waiting:
            if not self._closing and len(self._waiting) < self.batch and self.linger > 0:
                self._full.clear()
                try:
                    await asyncio.wait_for(self._full.wait(), self.linger)
                except TimeoutError:
                    pass
            taken, self._waiting = self._waiting[: self.batch], self._waiting[self.batch :]
            try:
                claimed = await self.inbox.mark_all_handled([update_id for update_id, _ in taken])
            except Exception as exc:  # the database, whatever its driver raises: each caller hears it
                for _, done in taken:
                    if not done.done():
                        done.set_exception(exc)
            else:
                self.commits += 1
                for _, done in taken:
                    if not done.done():
                        done.set_result(None)
                if claimed and self.claimed is not None:
                    try:
                        await self.claimed(claimed)
                    except Exception:  # the writer goes on; they wait for a restart or release
                        log.exception("%d claimed updates could not be queued", len(claimed))
