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
from collections.abc import Iterator
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


@contextmanager
def replicas(api: BotAPIStandIn, database_url: str, workdir: Path, count: int = 2) -> Iterator[list[int]]:
    """`count` webhook processes on ports of their own, all ready; stopped (SIGTERM) on the way out."""
    ports = [free_port() for _ in range(count)]
    base = dict(os.environ, TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_BASE_URL=api.base_url, DATABASE_URL=database_url,
                WEBHOOK_URL="https://bot.example.org/telegram", WEBHOOK_SECRET=SECRET,
                WEBHOOK_LISTEN="127.0.0.1", PACK_POLL_SECONDS="0.5", DATA_DIR=str(workdir / "data"),
                TALKSBOT_ENCODER="off")
    base.pop("SHARED_CONTEXT", None)  # the default: on, because the database is PostgreSQL
    logs = [open(workdir / f"replica{i}.log", "w") for i in range(count)]
    processes = [subprocess.Popen([sys.executable, "-m", "bot.cli", "run", "--webhook"], cwd=workdir,
                                  env=dict(base, WEBHOOK_PORT=str(port)), stdout=subprocess.DEVNULL, stderr=log)
                 for port, log in zip(ports, logs)]
    try:
        for port, process in zip(ports, processes):
            eventually_sync(lambda port=port, process=process: (  # type: ignore[misc]
                request(port, "GET", "/readyz") == 200 or process.poll() is not None),
                            f"replica on port {port} ready", 120)
            assert process.poll() is None, (workdir / f"replica{ports.index(port)}.log").read_text()[-3000:]
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        for log in logs:
            log.close()
    assert all(process.returncode == 0 for process in processes), replica_logs(workdir)


def replica_logs(workdir: Path) -> str:
    return "\n".join(path.read_text()[-2000:] for path in sorted(workdir.glob("replica*.log")))


def replies(api: BotAPIStandIn, chat_id: int) -> list[str]:
    return [str(call.params.get("text", "")) for call in api.calls_to("sendMessage", include_failed=False)
            if call.params.get("chat_id") == chat_id]


def load_pack(database_url: str, pack_dir: Path, workdir: Path) -> None:
    env = dict(os.environ, DATABASE_URL=database_url, DATA_DIR=str(workdir / "cli-data"), TALKSBOT_ENCODER="off")
    done = subprocess.run([sys.executable, "-m", "bot.cli", "load", str(pack_dir)], cwd=workdir, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def test_two_webhook_replicas_on_one_postgres_behave_as_one_bot(
        pg_url: str, pack_copy: Path, tmp_path: Path) -> None:  # noqa: F811
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
        eventually_sync(lambda: all(replies(api, chat) for chat in [*chats, *range(71_100, 71_106)]),
                        "every chat answered")

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
            eventually_sync(lambda port=port, chat=chat: answers_new(port, chat), f"the new pack answering on port {port}", 30)

    every_reply = Counter(call.params.get("chat_id") for call in api.calls_to("sendMessage", include_failed=False))
    assert all(every_reply[chat] == 1 for chat in [*chats, *range(71_100, 71_106)]), (every_reply, replica_logs(tmp_path))
    assert "knowledge replaced" in (tmp_path / "replica0.log").read_text()
    assert "knowledge replaced" in (tmp_path / "replica1.log").read_text()
