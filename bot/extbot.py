"""The bot object: PTB's ExtBot, with getUpdates that keeps updates before acknowledging them and
skips updates it cannot read, and sendMessage that splits what is too long instead of failing.

Why getUpdates is replaced: PTB parses a whole batch at once, so one update it cannot parse (a
poll without the fields PTB requires, from an older self-hosted Bot API server) fails the batch,
the offset never moves, and the same batch is fetched again hundreds of times a second.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from telegram import Message, Update
from telegram._utils.defaultvalue import DEFAULT_NONE, DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError
from telegram.ext import ExtBot

from bot.splitting import split_html
from knowledge.store.db import one_line
from knowledge.store.inbox import HandledMarks, Inbox, utc_now

log = logging.getLogger(__name__)


def read_updates(raw: Sequence[dict[str, Any]], bot: ExtBot[Any]) -> list[Update]:
    """Each update on its own: one that cannot be read becomes an empty update with its id, logged
    once without its content, so it is acknowledged and skipped."""
    updates: list[Update] = []
    for item in raw:
        update_id = item.get("update_id") if isinstance(item, dict) else None
        if not isinstance(update_id, int):
            log.warning("ignored an update without an update id")
            continue
        try:
            update = Update.de_json(item, bot)
            _check_ids(update)
        except Exception as exc:  # whatever PTB raises on a malformed object
            kinds = ",".join(key for key in item if key != "update_id") or "empty"
            log.warning("skipped update %d (%s): it cannot be read (%s)", update_id, kinds, type(exc).__name__)
            log.debug("update %d could not be read", update_id, exc_info=exc)
            update = Update(update_id=update_id)
            update.set_bot(bot)
        updates.append(update)
    return updates


def _check_ids(update: Update) -> None:
    """PTB does not check types: a chat or user id that is not a number (a list, say) would fail
    PTB's own bookkeeping (ids are dict keys), after the update was kept and before it was handled."""
    for found in (update.effective_chat, update.effective_user):
        if found is not None and not isinstance(found.id, int):
            raise TypeError("an id that is not a number")


class UpdateKeeper:
    """Writes new updates to the inbox before the next getUpdates acknowledges them. Without an
    inbox, or while the database fails, updates are handled from memory (a failure is logged once)."""

    def __init__(self) -> None:
        self._inbox: Inbox | None = None
        self.marks: HandledMarks | None = None
        """Handled marks, written together (group commit) rather than one transaction each."""
        self.next_update_id = 0
        """Every update below this was kept: acknowledged even if PTB's offset lags after a restart."""
        self.failing = False
        self.room: Callable[[], Awaitable[int]] | None = None
        """Awaited before each fetch: how many updates the bot has room for (it waits for at least one)."""
        self.requeue: Callable[[list[dict[str, Any]]], Awaitable[None]] | None = None
        """Queues updates the shared queue (PostgreSQL) handed over once their chat's earlier one was handled."""

    @property
    def inbox(self) -> Inbox | None:
        return self._inbox

    @inbox.setter
    def inbox(self, inbox: Inbox | None) -> None:
        self._inbox = inbox
        self.marks = HandledMarks(inbox, claimed=self._claimed) if inbox is not None else None

    async def _claimed(self, raw: list[dict[str, Any]]) -> None:
        if self.requeue is not None:
            await self.requeue(raw)

    async def close(self) -> None:
        """At a stop: handled marks still waiting are written."""
        if self.marks is not None:
            try:
                await self.marks.close()
            except Exception as exc:  # the database, whatever its driver raises
                log.warning("handled marks not written (%s); those updates may be answered again", one_line(exc))

    async def keep(self, raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The updates to handle now, oldest first: all of them, minus those kept before (already handled
        or queued); in a shared queue, only those this replica claimed (and earlier ones it claimed too)."""
        if self.inbox is None or not raw:
            return raw
        try:
            # shielded: a transaction cut short by a stop would hold SQLite's write lock until exit
            fresh = await asyncio.shield(self.inbox.keep(raw, utc_now()))
        except Exception as exc:  # the database, whatever its driver raises
            if not self.failing:
                log.error("cannot keep received updates in the database (%s); a crash now may lose them", one_line(exc))
            self.failing = True
            return raw
        if self.failing:
            log.info("keeping received updates in the database again")
            self.failing = False
        ids = [item["update_id"] for item in raw if isinstance(item.get("update_id"), int)]
        if ids:
            self.next_update_id = max(self.next_update_id, max(ids) + 1)
        return fresh

    async def mark_handled(self, update: object) -> None:
        if self.marks is None or not isinstance(update, Update) or self.failing:
            return
        try:
            await self.marks.mark(update.update_id)
        except Exception as exc:  # the database, whatever its driver raises
            log.warning(
                "cannot mark update %d handled (%s); it may be answered again after a restart",
                update.update_id,
                one_line(exc),
            )


class KeepingQueue(asyncio.Queue[object]):
    """The update queue. In webhook mode (`keeping`) an update is kept in the inbox before PTB's
    webhook server answers Telegram 200; one Telegram sends again after a crash is not queued twice."""

    def __init__(self, keeper: UpdateKeeper) -> None:
        super().__init__()
        self.keeper = keeper
        self.keeping = False

    async def put(self, item: object) -> None:
        if not self.keeping or not isinstance(item, Update):
            await super().put(item)
            return
        for raw in await self.keeper.keep([item.to_dict()]):
            if raw.get("update_id") == item.update_id:
                await super().put(item)
            else:  # a waiting update of the same chat, claimed with it
                for update in read_updates([raw], item.get_bot()):
                    await super().put(update)

    async def put_kept(self, item: object) -> None:
        """Queue an update that is in the inbox already (taken over from a replica that stopped)."""
        await super().put(item)


class TalksBot(ExtBot[Any]):
    """ExtBot whose getUpdates goes through an `UpdateKeeper` and reads updates one by one."""

    __slots__ = ("keeper",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        with self._unfrozen():
            self.keeper = UpdateKeeper()

    async def get_updates(  # type: ignore[override]
        self,
        offset: int | None = None,
        limit: int | None = None,
        timeout: dt.timedelta | float | None = None,
        allowed_updates: Sequence[str] | None = None,
        *,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
        api_kwargs: dict[str, Any] | None = None,
        rate_limit_args: Any = None,
    ) -> tuple[Update, ...]:
        if self.keeper.room is not None:
            limit = min(limit or 100, await self.keeper.room())
        seconds = timeout.total_seconds() if isinstance(timeout, dt.timedelta) else float(timeout or 0)
        base = (self._request[0].read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout) or 0
        data = {
            "offset": max(offset or 0, self.keeper.next_update_id) or None,
            "limit": limit,
            "timeout": int(seconds),
            "allowed_updates": allowed_updates,
        }  # the Bot API takes whole seconds
        raw = await self._post(
            "getUpdates",
            data,
            read_timeout=base + seconds,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
            api_kwargs=api_kwargs,
        )
        if not isinstance(raw, list):
            # a TelegramError, so PTB's polling loop backs off instead of asking again at once
            raise NetworkError("getUpdates answered something other than a list")
        raw = await self.keeper.keep(raw)
        return tuple(read_updates(raw, self))

    async def send_message(self, chat_id: int | str, text: str, *args: Any, **kwargs: Any) -> Message:  # type: ignore[override]
        """Too long for one message: several, cut cleanly; buttons go on the last."""
        parts = split_html(text)
        if len(parts) == 1:
            return await super().send_message(chat_id, text, *args, **kwargs)
        markup = kwargs.pop("reply_markup", None)
        sent: Message | None = None
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            sent = await super().send_message(
                chat_id, part, *args, **kwargs, **({"reply_markup": markup} if last else {})
            )
            kwargs.pop("reply_parameters", None)
            kwargs.pop("reply_to_message_id", None)
        assert sent is not None
        return sent
