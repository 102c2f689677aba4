"""Load and faults end to end: `python benchmarks/load.py [--quick] [--json] [--capacity]`.

A real `talksbot run` process polls the Bot API stand-in (tests/support/botapi.py) on 127.0.0.1
only. Each scenario starts a fresh bot on a fresh SQLite file, asks one question per private chat
(so every answer says which question it answers), injects one fault, and counts per chat: lost (no
answer) and doubled (more than one). Figures: updates/s end to end for a burst, and p50/p95 from
Telegram receiving a message to the bot's answer arriving, under a steady load. Counting happens
after a clean stop, so late retries are counted too. Bounded: every wait has a deadline, and
`--quick` (for CI) runs in well under a minute.

Capacity: with the outgoing limiter off (SEND_RATE_LIMIT=0), 2,000 questions from 200 chats (ten
each, so chats are worked in parallel and each chat in order) are queued at once; the figure is
questions answered per second, from the first question to the last answer. `--capacity` runs only
that, once with a question the bot answers and once with one it declines.
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.botapi import BotAPIStandIn  # noqa: E402

MAX_IN_FLIGHT = 20
QUESTION = "who leads ukraine's delegation?"
IDLE_WINDOW = 0.5
IDLE_CPU = 0.05
IDLE_WINDOWS = 4
"""The bot is idle when it used less than IDLE_CPU seconds of CPU in each of IDLE_WINDOWS windows in a row."""
ANSWER_DEADLINE = 90.0
"""Longest wait for all answers: a send is retried for 60 s, polling backs off up to 30 s."""


@dataclass
class Outcome:
    scenario: str
    questions: int
    lost: int
    doubled: int
    seconds: float
    """From the first question to the last answer (a kill scenario: including the restart)."""
    note: str = ""
    lost_allowed: int = 0
    """Sends whose connection dropped after the request went out: by design not sent again, as they may
    have arrived. (A send that failed before its request was written out is sent again.)"""
    doubled_allowed: int = 0
    """At kill -9: the updates in flight may be answered again after the restart."""

    def on_target(self) -> bool:
        return self.lost <= self.lost_allowed and self.doubled <= self.doubled_allowed


@dataclass(frozen=True)
class Sizes:
    steady_rate: float
    steady_seconds: float
    burst: int
    per_fault: int
    window: float
    backlog: int


FULL = Sizes(steady_rate=25, steady_seconds=20, burst=1000, per_fault=300, window=5, backlog=1500)
QUICK = Sizes(steady_rate=25, steady_seconds=2, burst=100, per_fault=40, window=1, backlog=100)


class BotProcess:
    """`talksbot run` against the stand-in; its log goes to a file (a full pipe would block it)."""

    def __init__(
        self, api: BotAPIStandIn, workdir: Path, data_dir: Path, run: int, extra_env: dict[str, str] | None = None
    ) -> None:
        env = dict(
            os.environ,
            TELEGRAM_BOT_TOKEN=api.token,
            TELEGRAM_BASE_URL=api.base_url,
            DATABASE_URL=f"sqlite+aiosqlite:///{workdir / 'bot.db'}",
            DATA_DIR=str(data_dir),
            MAX_IN_FLIGHT=str(MAX_IN_FLIGHT),
            FLOOD_QUESTIONS="1000000",
            LOG_LEVEL="WARNING",
            **(extra_env or {}),
        )
        env.pop("WEBHOOK_URL", None)
        polls = len(api.calls_to("getUpdates"))
        with open(workdir / f"run{run}.log", "w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "run"], cwd=workdir, env=env, stdout=subprocess.DEVNULL, stderr=log
            )
        wait_until(lambda: len(api.calls_to("getUpdates")) > polls or self.process.poll() is not None, 60)
        if self.process.poll() is not None:
            raise SystemExit(f"the bot did not start; see {workdir / f'run{run}.log'}")

    def cpu_seconds(self) -> float | None:
        """CPU time the bot process has used so far (user and system; Linux only, else None)."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def settled(self, timeout: float = 120.0) -> bool:
        """Wait until the bot is idle: its start-up work (the encoder and its vectors load in a background
        thread) is done when its CPU time stops growing. True where that cannot be told (not Linux)."""
        last = [self.cpu_seconds()]
        quiet_windows = [0]
        if last[0] is None:
            return True

        def idle() -> bool:
            now = self.cpu_seconds()
            quiet = now is not None and last[0] is not None and now - last[0] < IDLE_CPU
            quiet_windows[0] = quiet_windows[0] + 1 if quiet else 0
            last[0] = now
            return quiet_windows[0] >= IDLE_WINDOWS

        return wait_until(idle, timeout, poll=IDLE_WINDOW)

    def stop(self, signum: int = signal.SIGTERM) -> float:
        """Seconds from the signal to the process's exit."""
        started = time.monotonic()
        self.process.send_signal(signum)
        self.process.wait(timeout=60)
        return time.monotonic() - started


def wait_until(predicate: Callable[[], bool], timeout: float, poll: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() >= deadline:
            return False
        time.sleep(poll)
    return True


def answers(api: BotAPIStandIn) -> Counter[int]:
    return Counter(c.params["chat_id"] for c in api.calls_to("sendMessage", include_failed=False))


def last_answer_time(api: BotAPIStandIn) -> float:
    return max(c.time for c in api.calls_to("sendMessage", include_failed=False))


class Chats:
    """Fresh private chat ids, one per question."""

    def __init__(self) -> None:
        self.next = 100_000

    def take(self, count: int) -> list[int]:
        chats = list(range(self.next, self.next + count))
        self.next += count
        return chats


def ask(api: BotAPIStandIn, chats: list[int]) -> dict[int, float]:
    """Push one question per chat; when each was pushed (Telegram's receipt)."""
    pushed = {}
    for chat in chats:
        pushed[chat] = time.time()
        api.push_message(QUESTION, chat_id=chat, user_id=chat)
    return pushed


def outcome(name: str, api: BotAPIStandIn, chats: list[int], started: float, note: str = "") -> Outcome:
    counted = answers(api)
    answered = [chat for chat in chats if counted[chat]]
    return Outcome(
        name,
        len(chats),
        lost=len(chats) - len(answered),
        doubled=sum(1 for chat in chats if counted[chat] > 1),
        seconds=round((last_answer_time(api) if answered else time.time()) - started, 2),
        note=note,
    )


@contextmanager
def fresh_bot(
    data_dir: Path, extra_env: dict[str, str] | None = None
) -> Iterator[tuple[BotAPIStandIn, Path, BotProcess]]:
    """A stand-in, a work directory and a running bot; the bot is stopped cleanly on the way out."""
    with BotAPIStandIn(long_poll_cap=1.0) as api, tempfile.TemporaryDirectory(prefix="talksbot-load-") as work:
        bot = BotProcess(api, Path(work), data_dir, 1, extra_env)
        try:
            yield api, Path(work), bot
        finally:
            if bot.process.poll() is None:
                bot.stop()


def steady(data_dir: Path, sizes: Sizes, chats: Chats) -> tuple[Outcome, dict[str, float]]:
    """Questions at a steady rate: latency from receipt to answer."""
    with fresh_bot(data_dir) as (api, _, bot):
        asked = chats.take(int(sizes.steady_rate * sizes.steady_seconds))
        started = time.time()
        pushed: dict[int, float] = {}
        for index, chat in enumerate(asked):
            pause = started + index / sizes.steady_rate - time.time()
            if pause > 0:
                time.sleep(pause)  # pacing the load, not waiting for a result
            pushed.update(ask(api, [chat]))
        wait_until(lambda: set(asked) <= set(answers(api)), ANSWER_DEADLINE)
        bot.stop()
        first = {c.params["chat_id"]: c.time for c in reversed(api.calls_to("sendMessage", include_failed=False))}
        latencies = sorted((first[chat] - pushed[chat]) * 1000 for chat in asked if chat in first)
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    figures = {"p50_ms": round(quantiles[49], 1), "p95_ms": round(quantiles[94], 1)}
    return outcome(
        f"steady {sizes.steady_rate:.0f}/s",
        api,
        asked,
        started,
        f"p50 {figures['p50_ms']:.0f} ms, p95 {figures['p95_ms']:.0f} ms",
    ), figures


def burst(data_dir: Path, sizes: Sizes, chats: Chats) -> tuple[Outcome, float]:
    """All questions at once: updates/s end to end."""
    with fresh_bot(data_dir) as (api, _, bot):
        asked = chats.take(sizes.burst)
        started = time.time()
        ask(api, asked)
        wait_until(lambda: set(asked) <= set(answers(api)), ANSWER_DEADLINE)
        bot.stop()
        result = outcome(f"burst of {sizes.burst}", api, asked, started)
    rate = round(result.questions / result.seconds, 1) if result.seconds > 0 else 0.0
    result.note = f"{rate:.0f} updates/s"
    return result, rate


CAPACITY_CHATS = 200
CAPACITY_PER_CHAT = 10
DECLINED = "what colour is the moon on tuesdays?"


def capacity(data_dir: Path, chats: Chats, question: str = QUESTION, label: str = "") -> tuple[Outcome, float]:
    """SEND_RATE_LIMIT=0, 2,000 questions from 200 chats queued at once: questions answered per second."""
    with fresh_bot(data_dir, {"SEND_RATE_LIMIT": "0"}) as (api, _, bot):
        asked = chats.take(CAPACITY_CHATS)
        total = len(asked) * CAPACITY_PER_CHAT
        bot.settled()  # capacity is the steady state's: not while the encoder loads
        cpu_before = bot.cpu_seconds()
        started = time.time()
        for _ in range(CAPACITY_PER_CHAT):
            for chat in asked:
                api.push_message(question, chat_id=chat, user_id=chat)
        wait_until(lambda: len(api.calls_to("sendMessage", include_failed=False)) >= total, ANSWER_DEADLINE)
        cpu_after = bot.cpu_seconds()
        bot.stop()
        counted = answers(api)
        replies = sum(counted[chat] for chat in asked)
        seconds = round((last_answer_time(api) if replies else time.time()) - started, 2)
    rate = round(min(replies, total) / seconds, 1) if seconds > 0 else 0.0
    result = Outcome(
        f"capacity: {total} questions{label} from {len(asked)} chats, no send limit",
        total,
        lost=max(0, total - replies),
        doubled=max(0, replies - total),
        seconds=seconds,
        note=f"{rate:.0f} updates/s"
        + (
            f", bot CPU {(cpu_after - cpu_before) * 1000 / total:.2f} ms/update"
            if cpu_before is not None and cpu_after is not None
            else ""
        ),
    )
    return result, rate


def under_fault(
    name: str, inject: Callable[[BotAPIStandIn], None], lost_allowed: int = 0
) -> Callable[[Path, Sizes, Chats], Outcome]:
    """A scenario: half the questions, the fault, the other half during it; all answered, once each?"""

    def run(data_dir: Path, sizes: Sizes, chats: Chats) -> Outcome:
        with fresh_bot(data_dir) as (api, _, bot):
            asked = chats.take(sizes.per_fault)
            started = time.time()
            ask(api, asked[: len(asked) // 2])
            inject(api)
            ask(api, asked[len(asked) // 2 :])
            wait_until(lambda: len(set(asked) & set(answers(api))) >= len(asked) - lost_allowed, ANSWER_DEADLINE)
            bot.stop()  # a clean stop: retries still pending are counted
            failed = len([c for c in api.calls if not c.ok])
            result = outcome(name, api, asked, started, f"{failed} calls failed")
            if api.server_errors:
                result.note += f"; {len(api.server_errors)} stand-in errors"
            result.lost_allowed = lost_allowed
            return result

    return run


def die_with_backlog(signum: int) -> Callable[[Path, Sizes, Chats], Outcome]:
    """A backlog queued, the bot stopped by `signum` once a tenth is answered, then started again."""

    def run(data_dir: Path, sizes: Sizes, chats: Chats) -> Outcome:
        with fresh_bot(data_dir) as (api, work, bot):
            asked = chats.take(sizes.backlog)
            started = time.time()
            ask(api, asked)
            wait_until(lambda: sum(answers(api).values()) >= sizes.backlog // 10, ANSWER_DEADLINE)
            stop_seconds = bot.stop(signum)
            before = len(answers(api))
            again = BotProcess(api, work, data_dir, 2)
            wait_until(lambda: set(asked) <= set(answers(api)), ANSWER_DEADLINE)
            again.stop()
            name = f"{signal.Signals(signum).name} with a backlog of {sizes.backlog}"
            result = outcome(name, api, asked, started, f"{before} answered before; stop took {stop_seconds:.1f} s")
            result.doubled_allowed = MAX_IN_FLIGHT if signum == signal.SIGKILL else 0
            return result

    return run


def scenarios(window: float) -> list[tuple[str, Callable[[Path, Sizes, Chats], Outcome]]]:
    calls = max(5, int(window * 4))
    return [
        (
            "502 on sendMessage",
            under_fault(
                f"502 on sendMessage for {window:g} s", lambda api: api.fail_during("sendMessage", window, status=502)
            ),
        ),
        (
            "429 on sendMessage",
            under_fault(
                f"429 on sendMessage for {window:g} s (retry after 1 s)",
                lambda api: api.fail_during("sendMessage", window, status=429),
            ),
        ),
        (
            "502 on getUpdates",
            under_fault(
                f"502 on getUpdates for {window:g} s", lambda api: api.fail_during("getUpdates", window, status=502)
            ),
        ),
        (
            "429 on getUpdates",
            under_fault(
                f"429 on getUpdates for {window:g} s (retry after 1 s)",
                lambda api: api.fail_during("getUpdates", window, status=429),
            ),
        ),
        (
            "stalls",
            under_fault(
                f"{calls} sendMessage and 2 getUpdates answered {window:g} s late",
                lambda api: (
                    api.stall_next("sendMessage", window, times=calls),
                    api.stall_next("getUpdates", window, times=2),
                ),
            ),
        ),
        (
            "dropped connections",
            under_fault(
                f"{calls} sendMessage and 3 getUpdates dropped after the request",
                lambda api: (api.drop_next("sendMessage", times=calls), api.drop_next("getUpdates", times=3)),
                lost_allowed=calls,
            ),
        ),
        (
            "refused connections",
            under_fault(
                f"connections closed and refused for {window:g} s",
                lambda api: api.refuse_connections(window),
            ),
        ),
        ("kill -9", die_with_backlog(signal.SIGKILL)),
        ("SIGTERM", die_with_backlog(signal.SIGTERM)),
    ]


USAGE = """usage: python benchmarks/load.py [--quick] [--json] [--capacity]

  --quick     small sizes, for CI (well under a minute)
  --json      also print one JSON object with the figures as the last line
  --capacity  only the capacity run: SEND_RATE_LIMIT=0, 2,000 questions from 200 chats,
              once answered and once declined
"""


def main(argv: list[str]) -> int:
    if "-h" in argv or "--help" in argv:
        print(USAGE, end="")
        return 0
    unknown = [arg for arg in argv if arg not in ("--quick", "--json", "--capacity")]
    if unknown:
        print(USAGE, end="", file=sys.stderr)
        return 2
    if "--capacity" in argv:
        return capacity_only("--json" in argv)
    quick, as_json = "--quick" in argv, "--json" in argv
    sizes = QUICK if quick else FULL
    chats = Chats()
    began = time.monotonic()
    results: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="talksbot-load-data-") as data:
        data_dir = Path(data)  # shared: the matcher's index is built once and read back after
        if not quick:
            prepare(data_dir)  # quick mode proves the scenarios run; its figures are not quoted
        steady_result, latency = steady(data_dir, sizes, chats)
        burst_result, rate = burst(data_dir, sizes, chats)
        results += [steady_result, burst_result]
        capacity_rate = None
        if not quick:
            capacity_result, capacity_rate = capacity(data_dir, chats)
            results.append(capacity_result)
            print(_row(capacity_result), file=sys.stderr, flush=True)
        for _, scenario in scenarios(sizes.window):
            results.append(scenario(data_dir, sizes, chats))
            print(_row(results[-1]), file=sys.stderr, flush=True)
    print(f"{'scenario':58} {'questions':>9} {'lost':>5} {'doubled':>7} {'seconds':>8}  note")
    for result in results:
        print(_row(result))
    print(
        f"throughput {rate:.0f} updates/s; latency p50 {latency['p50_ms']:.0f} ms, p95 {latency['p95_ms']:.0f} ms; "
        f"{time.monotonic() - began:.0f} s in all"
        + (f"; capacity without a send limit {capacity_rate:.0f} updates/s" if capacity_rate is not None else "")
    )
    if as_json:
        figures = {"updates_per_second": rate, "capacity_updates_per_second": capacity_rate, **latency}
        print(json.dumps({**figures, "scenarios": [asdict(r) for r in results]}))
    missed = [r.scenario for r in results if not r.on_target()]
    if missed:
        print(f"off target: {', '.join(missed)}")
    return 1 if missed else 0


def prepare(data_dir: Path) -> None:
    """What an operator's `talksbot load` does once: the encoder's target vectors for the pack, cached in
    the data directory, so that no bot measured here spends its first minute encoding them."""
    env = dict(os.environ, DATA_DIR=str(data_dir), DATABASE_URL=f"sqlite+aiosqlite:///{data_dir / 'prepare.db'}")
    subprocess.run([sys.executable, "-m", "bot.cli", "load"], env=env, check=True, capture_output=True)


def capacity_only(as_json: bool) -> int:
    chats = Chats()
    with tempfile.TemporaryDirectory(prefix="talksbot-load-data-") as data:
        data_dir = Path(data)
        prepare(data_dir)
        answered, rate = capacity(data_dir, chats, QUESTION, " answered")
        declined, declined_rate = capacity(data_dir, chats, DECLINED, " declined")
    print(f"{'scenario':58} {'questions':>9} {'lost':>5} {'doubled':>7} {'seconds':>8}  note")
    for result in (answered, declined):
        print(_row(result))
    if as_json:
        figures = {"updates_per_second": rate, "declined_updates_per_second": declined_rate}
        print(json.dumps({**figures, "scenarios": [asdict(answered), asdict(declined)]}))
    return 0 if answered.on_target() and declined.on_target() else 1


def _row(result: Outcome) -> str:
    return (
        f"{result.scenario:58} {result.questions:>9} {result.lost:>5} {result.doubled:>7} "
        f"{result.seconds:>8.2f}  {result.note}"
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
