"""The update inbox keeps what users wrote only until it is handled."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

from knowledge.store.inbox import KEEP_HANDLED, Inbox
from knowledge.store.store import Store


async def test_a_handled_update_keeps_its_id_but_not_its_text(store: Store) -> None:
    inbox = Inbox(store.sessions, bot_id=1)
    update = {
        "update_id": 7,
        "message": {"message_id": 1, "date": 0, "text": "my private question", "chat": {"id": 5, "type": "private"}},
    }
    await inbox.keep([update], dt.datetime.now(dt.timezone.utc))
    assert [u["update_id"] for u in await inbox.unhandled()] == [7]
    await inbox.mark_handled(7)
    async with store.engine.connect() as connection:
        payloads = (await connection.execute(text("SELECT payload FROM received_updates"))).scalars().all()
    assert payloads == [""]
    assert await inbox.next_update_id() == 8 and await inbox.unhandled() == []


async def test_a_handled_update_delivered_again_is_not_fresh_until_it_is_pruned(store: Store) -> None:
    """Replicas: the same update may reach two of them, even after newer updates were handled."""
    inbox = Inbox(store.sessions, bot_id=1)
    start = dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)
    assert len(await inbox.keep([{"update_id": 5}], start)) == 1
    await inbox.mark_handled(5)
    assert len(await inbox.keep([{"update_id": 6}], start + dt.timedelta(minutes=1))) == 1
    await inbox.mark_handled(6)
    assert await inbox.keep([{"update_id": 5}], start + dt.timedelta(minutes=2)) == []
    assert len(await inbox.keep([{"update_id": 7}], start + KEEP_HANDLED + dt.timedelta(minutes=1))) == 1
    async with store.engine.connect() as connection:
        ids = (await connection.execute(text("SELECT update_id FROM received_updates"))).scalars().all()
    assert sorted(ids) == [6, 7]  # 5 pruned; 6 was received less than KEEP_HANDLED before
