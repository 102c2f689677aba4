"""The update inbox keeps what users wrote only until it is handled."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

from knowledge.inbox import Inbox
from knowledge.service import Store


async def test_a_handled_update_keeps_its_id_but_not_its_text(store: Store) -> None:
    inbox = Inbox(store.sessions, bot_id=1)
    update = {"update_id": 7, "message": {"message_id": 1, "date": 0, "text": "my private question",
                                          "chat": {"id": 5, "type": "private"}}}
    await inbox.keep([update], dt.datetime.now(dt.timezone.utc))
    assert [u["update_id"] for u in await inbox.unhandled()] == [7]
    await inbox.mark_handled(7)
    async with store.engine.connect() as connection:
        payloads = (await connection.execute(text("SELECT payload FROM received_updates"))).scalars().all()
    assert payloads == [""]
    assert await inbox.next_update_id() == 8 and await inbox.unhandled() == []
