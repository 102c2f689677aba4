"""Chats are answered concurrently and each chat in order; one user cannot flood the bot.

The real Application polls the Bot API stand-in over HTTP, with Telegram's real per-group send
limit (20 a minute), so a busy group really is throttled while private chats are answered."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from handlers.flood_gate import FloodGate, Verdict
from handlers.flood import SLOW_DOWN
from tests.support.botapi import BotAPIStandIn
from tests.support.running import running_bot
from tests.support.waiting import eventually

GROUP = -1_001_000_000_001


def _answers_in(api: BotAPIStandIn, chat_id: int) -> list[dict]:
    return [c.params for c in api.calls_to("sendMessage", include_failed=False) if c.params.get("chat_id") == chat_id]


async def test_a_group_over_its_send_budget_does_not_hold_back_private_chats(tmp_path: Path) -> None:
    with BotAPIStandIn(long_poll_cap=0.5) as api:
        async with running_bot(api, tmp_path / "bot.db"):
            group_questions = [
                api.push_message(
                    f"@talksbot_test_bot who leads ukraine? ({n})",
                    chat_id=GROUP,
                    chat_type="supergroup",
                    user_id=7000 + n,
                )
                for n in range(40)
            ]
            private_chats = list(range(9001, 9021))
            started = time.monotonic()
            for chat in private_chats:
                api.push_message("who leads russia's delegation?", chat_id=chat, user_id=chat)
            await eventually(
                lambda: all(_answers_in(api, chat) for chat in private_chats), "every private chat answered"
            )
            private_seconds = time.monotonic() - started
            group_answered = len(_answers_in(api, GROUP))
    print(f"\n20 private chats answered in {private_seconds:.2f}s; the group had {group_answered} of 40 by then")
    assert private_seconds < 10, f"private chats waited {private_seconds:.1f}s behind the group"
    assert group_answered < 40  # the group was still being throttled: only it waited
    quoted = [params["reply_parameters"]["message_id"] for params in _answers_in(api, GROUP)]
    assert quoted == [q["message"]["message_id"] for q in group_questions][: len(quoted)]  # in order


async def test_messages_in_one_chat_are_answered_in_the_order_they_were_sent(tmp_path: Path) -> None:
    questions = ["who leads ukraine?", "who leads russia?", "where are the talks?", "who is medinsky?"] * 3
    with BotAPIStandIn(long_poll_cap=0.5) as api:
        async with running_bot(api, tmp_path / "bot.db"):
            for chat in (-4_100_001, -4_100_002):
                for question in questions:
                    api.push_message(f"/ask {question}", chat_id=chat, chat_type="group")
            await eventually(
                lambda: all(len(_answers_in(api, chat)) == len(questions) for chat in (-4_100_001, -4_100_002)),
                "both groups fully answered",
            )
    for chat in (-4_100_001, -4_100_002):
        quoted = [params["reply_parameters"]["message_id"] for params in _answers_in(api, chat)]
        assert quoted == sorted(quoted)


async def test_a_flooding_user_gets_one_notice_then_silence_and_others_are_still_answered(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.tracking")
    group = -4_200_001
    with BotAPIStandIn(long_poll_cap=0.5) as api:
        async with running_bot(api, tmp_path / "bot.db", flood_questions=5, flood_seconds=600):
            for n in range(12):
                api.push_message(f"who leads ukraine? {n}", chat_id=3001, user_id=3001)
            await eventually(lambda: SLOW_DOWN in [p["text"] for p in _answers_in(api, 3001)], "a notice")
            api.push_message("/ask who leads ukraine?", chat_id=group, chat_type="group", user_id=3001)
            other = api.push_message("/ask who leads russia?", chat_id=group, chat_type="group", user_id=3002)
            await eventually(lambda: _answers_in(api, group), "the other user answered")
            for n in range(3):  # the flooding user's chat goes on in order; these must stay unanswered
                api.push_message(f"who leads russia? {n}", chat_id=3001, user_id=3001)
            api.push_message("/about", chat_id=3001, user_id=3003)  # same chat id, another user: answered
            await eventually(lambda: len(_answers_in(api, 3001)) == 7, "the other user's /about answered")
    texts = [params["text"] for params in _answers_in(api, 3001)]
    assert texts.count(SLOW_DOWN) == 1 and texts[5] == SLOW_DOWN
    assert not any("Medinsky" in text for text in texts)  # the later Russia questions stayed unanswered
    group_answers = _answers_in(api, group)  # counted across chats: silenced in the group too
    assert [a["reply_parameters"]["message_id"] for a in group_answers] == [other["message"]["message_id"]]
    flooded = [r.getMessage() for r in caplog.records if "outcome=flooded" in r.getMessage()]
    assert len(flooded) >= 6 and not any("who leads" in line for line in flooded)  # logged, without the text


def test_flood_gate_counts_per_user_in_a_sliding_window_and_forgets_idle_users() -> None:
    now = [0.0]
    gate = FloodGate(limit=3, window=60, clock=lambda: now[0])
    assert [gate.check(1) for _ in range(5)] == [Verdict.ALLOW] * 3 + [Verdict.WARN, Verdict.SILENT]
    assert gate.check(2) is Verdict.ALLOW
    now[0] = 60.5
    assert gate.check(1) is Verdict.ALLOW  # the window passed: answered again, and warned afresh later
    assert [gate.check(1) for _ in range(3)] == [Verdict.ALLOW, Verdict.ALLOW, Verdict.WARN]
    now[0] = 200
    gate.check(3)
    assert gate.users == 1  # users 1 and 2 are forgotten
