"""Two `talksbot run --webhook` processes sharing one PostgreSQL database behave as one bot.

Webhook updates are posted alternately to the two replicas' ports, as a load balancer would: each
update is answered once (also one delivered to both), a follow-up is answered by the replica that did
not see the question, and a pack loaded with `talksbot load` reaches both. Runs when
TALKSBOT_TEST_POSTGRES_URL names a server (see tests/test_postgres.py).
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.support.botapi import BotAPIStandIn
from tests.support.waiting import eventually_sync
from tests.test_postgres import SERVER, pg_url  # noqa: F401  (pg_url is a fixture)

pytestmark = pytest.mark.skipif(not SERVER, reason="TALKSBOT_TEST_POSTGRES_URL is not set")

SECRET = "replica-s3cret"
OLD_RUSSIA = "Vladimir Medinsky, Moscow's top negotiator, leads Russia's delegation."
NEW_RUSSIA = "Vladimir Medinsky, Moscow's chief negotiator, leads Russia's delegation."


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def request(port: int, method: str, path: str, body: dict[str, Any] | None = None) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
        connection.request(method, path, json.dumps(body) if body is not None else None, headers)
        return connection.getresponse().status
    except OSError:
        return 0
    finally:
        connection.close()


def post(port: int, update: dict[str, Any]) -> None:
    assert request(port, "POST", "/telegram", update) == 200


def start_replica(api: BotAPIStandIn, database_url: str, workdir: Path, port: int, index: int) -> subprocess.Popen[str]:
    """`talksbot run --webhook` on `port`, its log in workdir/replica{index}.log; returns once it is ready."""
    env = dict(
        os.environ,
        TELEGRAM_BOT_TOKEN=api.token,
        TELEGRAM_BASE_URL=api.base_url,
        DATABASE_URL=database_url,
        WEBHOOK_URL="https://bot.example.org/telegram",
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_LISTEN="127.0.0.1",
        WEBHOOK_PORT=str(port),
        PACK_POLL_SECONDS="0.5",
        DATA_DIR=str(workdir / "data"),
        TALKSBOT_ENCODER="off",
    )
    for name in ("SHARED_CONTEXT", "REPLICA_NAME"):  # the defaults: on for PostgreSQL; host and port
        env.pop(name, None)
    with open(workdir / f"replica{index}.log", "w") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "run", "--webhook"],
            cwd=workdir,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
            text=True,
        )


def wait_ready(
    port: int, process: subprocess.Popen[str], workdir: Path, meanwhile: Callable[[], object] = lambda: None
) -> None:
    eventually_sync(
        lambda: (meanwhile(), request(port, "GET", "/readyz") == 200 or process.poll() is not None)[1],
        f"replica on port {port} ready",
        120,
    )
    assert process.poll() is None, replica_logs(workdir)


def stop(processes: list[subprocess.Popen[str]], workdir: Path) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=30)
    assert all(process.returncode == 0 for process in processes), replica_logs(workdir)


@contextmanager
def replicas(api: BotAPIStandIn, database_url: str, workdir: Path, count: int = 2) -> Iterator[list[int]]:
    """`count` webhook processes on ports of their own, all ready; stopped (SIGTERM) on the way out."""
    ports = [free_port() for _ in range(count)]
    processes = [start_replica(api, database_url, workdir, port, index) for index, port in enumerate(ports)]
    try:
        for port, process in zip(ports, processes):
            wait_ready(port, process, workdir)
        yield ports
    finally:
        stop(processes, workdir)


def replica_logs(workdir: Path) -> str:
    return "\n".join(path.read_text()[-2000:] for path in sorted(workdir.glob("replica*.log")))


def replies(api: BotAPIStandIn, chat_id: int) -> list[str]:
    return [
        str(call.params.get("text", ""))
        for call in api.calls_to("sendMessage", include_failed=False)
        if call.params.get("chat_id") == chat_id
    ]


def load_pack(database_url: str, pack_dir: Path, workdir: Path) -> None:
    env = dict(os.environ, DATABASE_URL=database_url, DATA_DIR=str(workdir / "cli-data"), TALKSBOT_ENCODER="off")
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "load", str(pack_dir)],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr


def test_two_webhook_replicas_on_one_postgres_behave_as_one_bot(pg_url: str, pack_copy: Path, tmp_path: Path) -> None:  # noqa: F811
    with BotAPIStandIn() as api, replicas(api, pg_url, tmp_path) as ports:
        # each update answered once, whichever replica gets it
        chats = list(range(71_000, 71_010))
        for index, chat in enumerate(chats):
            post(ports[index % 2], api.push_message("who leads ukraine's team?", chat_id=chat, user_id=chat))
        # one update delivered to both replicas (a load balancer retrying on the other one)
        twice = api.push_message("where are the talks?", chat_id=71_100, user_id=71_100)
        post(ports[0], twice)
        post(ports[1], twice)
        for chat in range(71_101, 71_106):  # and at the same moment
            update = api.push_message("who leads russia's team?", chat_id=chat, user_id=chat)
            with ThreadPoolExecutor(2) as pool:
                list(pool.map(post, ports, [update] * len(ports)))
        eventually_sync(
            lambda: all(replies(api, chat) for chat in [*chats, *range(71_100, 71_106)]), "every chat answered"
        )

        # a follow-up answered by the replica that did not see the question
        post(ports[0], api.push_message("who leads ukraine's team?", chat_id=72_000, user_id=72_000))
        eventually_sync(lambda: len(replies(api, 72_000)) == 1, "the question answered")
        post(ports[1], api.push_message("and Russia's?", chat_id=72_000, user_id=72_000))
        eventually_sync(lambda: len(replies(api, 72_000)) == 2, "the follow-up answered")
        assert "Umerov" in replies(api, 72_000)[0]
        assert "Medinsky" in replies(api, 72_000)[1], replies(api, 72_000)
        # and back the other way, for another user in a group: context is per chat and user
        post(ports[1], api.push_message("/ask who leads russia's delegation?", chat_id=-72_001, user_id=72_001))
        eventually_sync(lambda: len(replies(api, -72_001)) == 1, "the group question answered")
        post(ports[0], api.push_message("/ask and Ukraine's?", chat_id=-72_001, user_id=72_001))
        eventually_sync(lambda: len(replies(api, -72_001)) == 2, "the group follow-up answered")
        assert "Umerov" in replies(api, -72_001)[1], replies(api, -72_001)

        # /lang on one replica holds on the other, which had read the chat's language before
        post(ports[1], api.push_message("/help", chat_id=72_500, user_id=72_500))
        eventually_sync(lambda: len(replies(api, 72_500)) == 1, "help in English")
        post(ports[0], api.push_message("/lang uk", chat_id=72_500, user_id=72_500))
        eventually_sync(lambda: len(replies(api, 72_500)) == 2, "the language set")
        post(ports[1], api.push_message("/help", chat_id=72_500, user_id=72_500))
        eventually_sync(lambda: len(replies(api, 72_500)) == 3, "help again")
        assert replies(api, 72_500)[0].startswith("I know") and not replies(api, 72_500)[2].startswith("I know")

        # `talksbot load` of a new pack version reaches both replicas
        facts = pack_copy / "facts.yaml"
        assert OLD_RUSSIA in facts.read_text()
        facts.write_text(facts.read_text().replace(OLD_RUSSIA, NEW_RUSSIA))
        load_pack(pg_url, pack_copy, tmp_path)
        asked: Counter[int] = Counter()

        def answers_new(port: int, chat: int) -> bool:
            """Ask again once the last question is answered, until the answer is the new one."""
            answers = replies(api, chat)
            if len(answers) < asked[chat]:
                return False
            if answers and NEW_RUSSIA in answers[-1]:
                return True
            post(port, api.push_message("who leads russia's delegation?", chat_id=chat, user_id=chat))
            asked[chat] += 1
            return False

        for port, chat in zip(ports, (73_000, 73_001)):
            eventually_sync(
                lambda port=port, chat=chat: answers_new(port, chat), f"the new pack answering on port {port}", 30
            )

    every_reply = Counter(call.params.get("chat_id") for call in api.calls_to("sendMessage", include_failed=False))
    assert all(every_reply[chat] == 1 for chat in [*chats, *range(71_100, 71_106)]), (
        every_reply,
        replica_logs(tmp_path),
    )
    assert "knowledge replaced" in (tmp_path / "replica0.log").read_text()
    assert "knowledge replaced" in (tmp_path / "replica1.log").read_text()


def test_a_replica_starting_leaves_alone_what_another_is_working_on(pg_url: str, tmp_path: Path) -> None:  # noqa: F811
    """At start a replica takes the updates left unhandled, but not those of a replica that is alive."""
    with BotAPIStandIn() as api, replicas(api, pg_url, tmp_path) as ports:
        api.fail_next("sendMessage", status=429, retry_after=1, times=2)  # the answer waits at Telegram
        queued = 2

        def keep_it_waiting() -> None:
            nonlocal queued
            if queued - len([call for call in api.calls_to("sendMessage") if not call.ok]) < 2:
                api.fail_next("sendMessage", status=429, retry_after=1)
                queued += 1

        post(ports[0], api.push_message("who leads ukraine's team?", chat_id=74_000, user_id=74_000))
        eventually_sync(lambda: api.calls_to("sendMessage"), "the first replica answering")
        third_port = free_port()
        third = start_replica(api, pg_url, tmp_path, third_port, 2)
        try:
            wait_ready(third_port, third, tmp_path, meanwhile=keep_it_waiting)  # it took what it would by now
            assert replies(api, 74_000) == []  # still being answered by the first replica
            eventually_sync(lambda: len(replies(api, 74_000)) == 1, "the first replica's answer")
            # had the third replica taken the update too, it would answer it before this, in chat order
            post(third_port, api.push_message("where are the talks?", chat_id=74_000, user_id=74_000))
            eventually_sync(lambda: len(replies(api, 74_000)) >= 2, "the third replica's answer")
        finally:
            stop([third], tmp_path)
    answers = replies(api, 74_000)
    assert len(answers) == 2 and "Umerov" in answers[0] and "Istanbul" in answers[1], answers


def test_one_chats_messages_across_two_replicas_are_answered_in_order(pg_url: str, tmp_path: Path) -> None:  # noqa: F811
    """A load balancer sends a chat's messages alternately to both replicas. Each first message's
    handler is held up at Telegram (getChatMember answers 2.5 s late), so a replica answering the
    second one at once would answer it first. The shared queue makes it wait; another chat does not."""
    groups, times = [-81_000, -81_001, -81_002], [f"07:{minute:02d}" for minute in range(8)]
    with BotAPIStandIn() as api, replicas(api, pg_url, tmp_path) as ports:
        for group in groups:
            api.set_chat_member_status(group, -group, "administrator")
        api.stall_next("getChatMember", 2.5, times=len(groups))
        posted = 0
        for time in times:  # round robin over the groups, alternating replicas: each group's too (3 is odd)
            for group in groups:
                post(ports[posted % 2], api.push_message(f"/subscribe {time}", chat_id=group, user_id=-group))
                posted += 1
        post(ports[posted % 2], api.push_message("where are the talks?", chat_id=81_100, user_id=81_100))

        def set_times(group: int) -> list[str]:
            return [text.split()[4] for text in replies(api, group) if text.startswith("Daily briefing set for")]

        eventually_sync(
            lambda: all(len(set_times(group)) == len(times) for group in groups), "every /subscribe answered"
        )
        eventually_sync(lambda: len(replies(api, 81_100)) == 1, "the other chat answered")
        sends = [call.params.get("chat_id") for call in api.calls_to("sendMessage", include_failed=False)]
    for group in groups:
        assert set_times(group) == times, (group, set_times(group), replica_logs(tmp_path))
        assert sends.index(81_100) < sends.index(group)  # not held back behind the groups' first answers
    assert len(replies(api, 81_100)) == 1
    logs = [(tmp_path / f"replica{index}.log").read_text() for index in range(2)]
    assert all("Traceback" not in log for log in logs), replica_logs(tmp_path)
