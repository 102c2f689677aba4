"""Random Telegram updates, well formed and malformed, as raw JSON the stand-in hands to getUpdates."""

from __future__ import annotations

import time
from typing import Any

from hypothesis import strategies as st

from tests.fuzz.strategies import hostile_text

BOT_USERNAME = "talksbot_test_bot"
CHATS = st.sampled_from([1, 2, 3, 101, -5, -6, -1001, -1002])
"""A few chats, so the updates of one chat queue behind each other."""
USERS = st.sampled_from([1, 2, 3, 101])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | hostile_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=8,
)
"""Any JSON value: what a wrong-typed field may hold."""

texts = st.one_of(
    hostile_text,
    st.sampled_from(
        [
            "/start",
            "/help",
            "/lead",
            "/lead russia",
            "/delegations",
            "/brief",
            "/sources",
            "/about",
            "/ask",
            "/ask who leads ukraine",
            "/subscribe",
            "/subscribe 08:00 Europe/Kyiv",
            "/subscribe 25:99 Mars/Base",
            "/unsubscribe",
            "/subscription",
            "/reload",
            "/stats",
            f"@{BOT_USERNAME} who leads russia",
            "who is umerov",
            "and Russia's?",
        ]
    ),
    st.builds(
        lambda command, rest: f"{command} {rest}", st.sampled_from(["/ask", "/subscribe", "/lead"]), hostile_text
    ),
    st.builds(
        lambda word, times: word * times,
        st.sampled_from(["кто ", "<b>", "&", "\u200b", "a"]),
        st.integers(5_000, 60_000),
    ),
)
"""Questions, commands with any argument, and texts far over Telegram's 4,096 limit."""


def _entities(text: str) -> st.SearchStrategy[list[dict[str, Any]]]:
    entity = st.fixed_dictionaries(
        {
            "type": st.sampled_from(["bot_command", "mention", "bold", "text_link", "url", "custom_emoji", "spoiler"]),
            "offset": st.integers(-5, len(text) + 50),
            "length": st.integers(-5, len(text) + 50),
        },
        optional={"url": st.text(max_size=20), "user": json_values},
    )
    return st.lists(entity, max_size=3)


@st.composite
def messages(draw: st.DrawFn) -> dict[str, Any]:
    chat_id = draw(CHATS)
    user_id = draw(USERS)
    text = draw(texts)
    message: dict[str, Any] = {
        "message_id": draw(st.integers(1, 10_000)),
        "date": int(time.time()),
        "chat": {
            "id": chat_id,
            "type": "private" if chat_id > 0 else draw(st.sampled_from(["group", "supergroup"])),
            "title": "Fuzz",
        },
        "from": {"id": user_id, "is_bot": False, "first_name": "Fuzz"},
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split(" ")[0])}]
    if draw(st.booleans()):
        message["entities"] = draw(_entities(text))
    if draw(st.integers(0, 4)) == 0:
        message["reply_to_message"] = {
            "message_id": draw(st.integers(1, 10_000)),
            "date": int(time.time()),
            "chat": message["chat"],
            "text": draw(hostile_text),
            "from": {"id": 123456789, "is_bot": True, "first_name": "Bot"},
        }
    return message


@st.composite
def well_formed(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["message", "edited_message", "callback_query", "inline_query"]))
    user = {"id": draw(USERS), "is_bot": False, "first_name": "Fuzz"}
    if kind == "callback_query":
        return {
            kind: {
                "id": str(draw(st.integers(1, 10**9))),
                "from": user,
                "chat_instance": "x",
                "data": draw(
                    st.one_of(st.just("fact:ukraine-lead"), st.text(max_size=80).map("fact:".__add__), hostile_text)
                ),
                "message": draw(messages()),
            }
        }
    if kind == "inline_query":
        return {
            kind: {
                "id": str(draw(st.integers(1, 10**9))),
                "from": user,
                "query": draw(hostile_text),
                "offset": draw(st.text(max_size=10)),
            }
        }
    return {kind: draw(messages())}


def _mutate(draw: st.DrawFn, value: Any, depth: int = 0) -> Any:
    """Drop a field, give one a wrong type, or go one level down and do that there."""
    if not isinstance(value, dict) or not value or depth > 3:
        return draw(json_values)
    key = draw(st.sampled_from(sorted(value)))
    action = draw(st.sampled_from(["drop", "retype", "descend"]))
    changed = dict(value)
    if action == "drop":
        del changed[key]
    elif action == "retype":
        changed[key] = draw(json_values)
    else:
        changed[key] = _mutate(draw, value[key], depth + 1)
    return changed


@st.composite
def malformed(draw: st.DrawFn) -> dict[str, Any]:
    choice = draw(st.sampled_from(["mutated", "unknown kind", "empty", "two kinds"]))
    if choice == "unknown kind":
        return {
            draw(st.sampled_from(["poll", "business_message", "message_reaction", "chat_boost", "x"])): draw(
                json_values
            )
        }
    if choice == "empty":
        return {}
    if choice == "two kinds":
        return {**draw(well_formed()), **draw(well_formed())}
    update = draw(well_formed())
    for _ in range(draw(st.integers(1, 3))):
        update = _mutate(draw, update)
    return update if isinstance(update, dict) else {"message": update}


updates = st.one_of(well_formed(), malformed())
