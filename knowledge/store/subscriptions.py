"""Daily briefing subscriptions: parsing what users type, and keeping subscriptions in the store."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from knowledge.store.db import as_utc
from knowledge.store.tables import Subscription

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
ECHO_CHARS = 40
"""What users typed is quoted back in an error at most this long: a reply must fit in a message."""
HOST_DEPENDENT_ZONES = ("localtime", "factory", "posixrules")
HOST_DEPENDENT_PREFIXES = ("posix/", "right/", "etc/localtime")
"""Zone names whose meaning depends on the host's files, not on the IANA database."""


def shown(text: str) -> str:
    """`text` quoted for an error message, cut to ECHO_CHARS."""
    cut = text if len(text) <= ECHO_CHARS else text[: ECHO_CHARS - 1] + "…"
    return repr(cut)


class SubscriptionInputError(ValueError):
    """What the user typed is not a time or a time zone; the message says what is expected."""


def parse_local_time(text: str) -> str:
    """'8:05' or '08:05' -> '08:05' (24-hour clock)."""
    found = _TIME.match(text.strip())
    if not found:
        raise SubscriptionInputError(f"{shown(text)} is not a time: use HH:MM on a 24-hour clock, e.g. 08:30")
    return f"{int(found.group(1)):02d}:{found.group(2)}"


def parse_timezone(name: str) -> str:
    """An IANA time zone name such as Europe/Kyiv, checked against the time zone database."""
    cleaned = name.strip()
    if not re.fullmatch(r"[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+)*", cleaned):
        raise SubscriptionInputError(f"{shown(name)} is not a time zone: use an IANA name like Europe/Kyiv")
    if cleaned.lower() in HOST_DEPENDENT_ZONES or cleaned.lower().startswith(HOST_DEPENDENT_PREFIXES):
        raise SubscriptionInputError(
            f"{shown(cleaned)} depends on the server's settings: use an IANA name like Europe/Kyiv"
        )
    try:
        ZoneInfo(cleaned)
    except (ZoneInfoNotFoundError, ValueError):
        raise SubscriptionInputError(f"unknown time zone {shown(cleaned)}: use an IANA name like Europe/Kyiv") from None
    return cleaned


@dataclass(frozen=True)
class SubscriptionInfo:
    chat_id: int
    local_time: str
    timezone: str
    created_at: dt.datetime | None = None
    """No briefing is due for a moment before the subscription existed (no surprise catch-up on day one)."""

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def time(self) -> dt.time:
        hours, minutes = map(int, self.local_time.split(":"))
        return dt.time(hours, minutes, tzinfo=self.zone)

    def due_date(self, now: dt.datetime) -> dt.date | None:
        """Today's local date if today's briefing time has passed at `now`, else None."""
        local = now.astimezone(self.zone)
        hours, minutes = map(int, self.local_time.split(":"))
        scheduled = local.replace(hour=hours, minute=minutes, second=0, microsecond=0)
        if local < scheduled or (self.created_at is not None and scheduled < self.created_at):
            return None
        return local.date()


def _info(row: Subscription) -> SubscriptionInfo:
    return SubscriptionInfo(row.chat_id, row.local_time, row.timezone, as_utc(row.created_at))


class Subscriptions:
    """Subscriptions in the store (one per chat)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def set(self, chat_id: int, local_time: str, timezone: str, now: dt.datetime) -> SubscriptionInfo:
        async with self.sessions() as session, session.begin():
            row = await session.scalar(select(Subscription).where(Subscription.chat_id == chat_id))
            if row is None:
                row = Subscription(chat_id=chat_id, created_at=now)
                session.add(row)
            row.local_time, row.timezone = local_time, timezone
            row.created_at = now  # a changed time starts afresh too
        return SubscriptionInfo(chat_id, local_time, timezone, now)

    async def get(self, chat_id: int) -> SubscriptionInfo | None:
        async with self.sessions() as session:
            row = await session.scalar(select(Subscription).where(Subscription.chat_id == chat_id))
            return _info(row) if row else None

    async def remove(self, chat_id: int) -> bool:
        async with self.sessions() as session, session.begin():
            result = await session.execute(delete(Subscription).where(Subscription.chat_id == chat_id))
            return bool(getattr(result, "rowcount", 0))

    async def move(self, old_chat_id: int, new_chat_id: int) -> None:
        """A group became a supergroup: its subscription follows it."""
        async with self.sessions() as session, session.begin():
            await session.execute(
                update(Subscription).where(Subscription.chat_id == old_chat_id).values(chat_id=new_chat_id)
            )

    async def all(self) -> list[SubscriptionInfo]:
        async with self.sessions() as session:
            return [_info(row) for row in await session.scalars(select(Subscription).order_by(Subscription.chat_id))]
