"""`talksbot bench`: answering speed, start-up and memory with the bundled pack plus many synthetic intents.

Everything goes the production way: a pack folder (`bot.synthetic`) loaded by `talksbot load` into
a fresh SQLite database, read back by the store, and the matcher built as the bot builds it
(`excludes` and all). `talksbot load` and `talksbot ask` run as child processes so their time and
peak memory are what a user sees. Beside the matcher's latency stands a naive scan in the same run:
`rapidfuzz.process.extractOne` (WRatio, default processing) over every phrasing, the obvious way
to match a question without an index. With `--json` the last stdout line is one JSON object.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process, utils

from bot.progress import ProgressBar, note
from bot.synthetic import SYNTHETIC_PREFIX, write_synthetic_pack
from knowledge.answer import Answerer
from knowledge.evaluation import default_eval_file, read_questions
from knowledge.gcpause import collector_paused
from knowledge.index_cache import cached_matcher, load_matcher
from knowledge.store.store import Store
from knowledge.records import Knowledge

QUESTIONS = [
    "Who leads Ukraine's team?",
    "who leds the ukrainain delgation",
    "Who speaks for Kyiv in Istanbul?",
    "Who is Medinsky?",
    "Where are the talks?",
    "Is Putin attending?",
    "What does Russia want?",
    "Who leads the Polish delegation?",
    "How old is Umerov's daughter?",
    "hello",
]
"""Timed by the naive scan too; the pack's eval.yaml questions are added for the matcher's percentiles."""
QUICK_INTENTS = 2_000


@dataclasses.dataclass(frozen=True)
class Child:
    seconds: float
    peak_rss_mb: float
    ok: bool


def run_bench(quick: bool = False, intents: int = 100_000, as_json: bool = False) -> int:
    count = QUICK_INTENTS if quick else intents
    with tempfile.TemporaryDirectory(prefix="talksbot-bench-") as scratch:
        result = asyncio.run(_measure(Path(scratch), count, rounds=1 if quick else 3))
    changed = result.pop("changed")
    if as_json:
        print(json.dumps(result))
    else:
        _print_human(result, changed)
    return 1 if changed else 0


async def _measure(scratch: Path, count: int, rounds: int) -> dict[str, Any]:
    note(f"writing a pack with {count:,} synthetic intents ...")
    pack = write_synthetic_pack(scratch / "pack", count)
    data_dir = scratch / "data"
    note("talksbot load ...")
    # English speed is measured here: the encoder would spend hours on 100,000 synthetic intents' phrasings
    load = _child(["load", str(pack)], data_dir, scratch, TALKSBOT_ENCODER="off")
    if not load.ok:
        raise RuntimeError("talksbot load failed on the synthetic pack")
    store = await Store.open(f"sqlite+aiosqlite:///{data_dir / 'talksbot.db'}")
    try:
        started = time.perf_counter()
        knowledge = await store.knowledge()
        read_s = time.perf_counter() - started
    finally:
        await store.close()
    index_dir = scratch / "index"
    started = time.perf_counter()
    answerer = Answerer(knowledge, matcher=cached_matcher(knowledge, index_dir, ProgressBar("building index")))
    answerer.prepare_readers()  # as the bot does at start: no question waits for the glossaries
    index_s = time.perf_counter() - started
    rss_mb = _current_rss_mb()
    started = time.perf_counter()
    with collector_paused():
        persisted = load_matcher(knowledge, index_dir)
    index_load_s = time.perf_counter() - started
    if persisted is None:
        raise RuntimeError("the index just persisted cannot be read back")
    del persisted

    questions = list(dict.fromkeys(QUESTIONS + [q.question for q in read_questions(default_eval_file())]))
    expected = _answers(Answerer(_without_synthetic(knowledge)), questions)
    timings: list[float] = []
    for _ in range(rounds):
        for question in questions:
            started = time.perf_counter()
            answerer.ask(question)
            timings.append((time.perf_counter() - started) * 1000)
    changed = sorted(q for q, fact in _answers(answerer, questions).items() if fact != expected[q])
    naive_ms = _naive_scan_ms(knowledge, QUESTIONS)

    note("talksbot ask, first start (no persisted index) ...")
    first = _child(["ask", "--json", "hello"], data_dir, scratch)
    note("talksbot ask, next start ...")
    warm = _child(["ask", "--json", "hello"], data_dir, scratch)
    timings.sort()
    p50 = statistics.median(timings)
    p99 = _percentile(timings, 0.99)
    naive_p50 = statistics.median(naive_ms)
    return {
        "n_intents": len(knowledge.intents),
        "synthetic_intents": count,
        "n_phrasings": sum(len(i.phrasings) for i in knowledge.intents.values()),
        "load_s": round(load.seconds, 2),
        "load_rss_mb": round(load.peak_rss_mb),
        "read_s": round(read_s, 2),
        "index_s": round(index_s, 2),
        "index_load_s": round(index_load_s, 2),
        "first_start_s": round(first.seconds, 2),
        "start_s": round(warm.seconds, 2),
        "start_rss_mb": round(warm.peak_rss_mb),
        "questions": len(timings),
        "p50_ms": round(p50, 3),
        "p95_ms": round(_percentile(timings, 0.95), 3),
        "p99_ms": round(p99, 3),
        "max_ms": round(timings[-1], 3),
        "rss_mb": round(rss_mb),
        "peak_rss_mb": round(_peak_rss_mb()),
        "naive_p50_ms": round(naive_p50, 1),
        "naive_max_ms": round(max(naive_ms), 1),
        "p50_vs_naive": round(p50 / naive_p50, 4),
        "p99_vs_naive": round(p99 / naive_p50, 4),
        "answers_changed": len(changed),
        "changed": changed,
    }


def _child(args: list[str], data_dir: Path, cwd: Path, **extra_env: str) -> Child:
    """Run `talksbot ARGS` in a fresh process (no .env, no DATABASE_URL): wall time and peak RSS."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"DATA_DIR": str(data_dir)} | extra_env
    started = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        child = subprocess.Popen([sys.executable, "-m", "bot.cli", *args], cwd=cwd, env=env, stdout=sink)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    return Child(time.perf_counter() - started, _kib_to_mb(usage.ru_maxrss), child.returncode == 0)


def _answers(answerer: Answerer, questions: list[str]) -> dict[str, str | None]:
    return {q: answerer.matcher.match(q).fact for q in questions}


def _without_synthetic(knowledge: Knowledge) -> Knowledge:
    return dataclasses.replace(
        knowledge, intents={k: v for k, v in knowledge.intents.items() if not k.startswith(SYNTHETIC_PREFIX)}
    )


def _naive_scan_ms(knowledge: Knowledge, questions: list[str]) -> list[float]:
    phrasings = [p for intent in knowledge.intents.values() for p in intent.phrasings]
    out: list[float] = []
    for question in questions:
        started = time.perf_counter()
        process.extractOne(question, phrasings, scorer=fuzz.WRatio, processor=utils.default_process)
        out.append((time.perf_counter() - started) * 1000)
    return out


def _percentile(ordered: list[float], fraction: float) -> float:
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def _kib_to_mb(kib: int) -> float:
    return kib / 1024  # Linux reports ru_maxrss in KiB


def _peak_rss_mb() -> float:
    return _kib_to_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _current_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return _peak_rss_mb()


def _print_human(result: dict[str, Any], changed: list[str]) -> None:
    print(
        f"intents: {result['n_intents']:,} ({result['synthetic_intents']:,} synthetic), "
        f"{result['n_phrasings']:,} phrasings"
    )
    print(f"talksbot load: {result['load_s']:.1f} s, peak {result['load_rss_mb']} MiB")
    print(
        f"read knowledge: {result['read_s']:.2f} s; index build: {result['index_s']:.2f} s "
        f"(read back persisted: {result['index_load_s']:.2f} s); resident memory {result['rss_mb']} MiB"
    )
    print(
        f"talksbot ask start: {result['first_start_s']:.2f} s first, {result['start_s']:.2f} s next "
        f"(peak {result['start_rss_mb']} MiB)"
    )
    print(
        f"answer latency over {result['questions']} questions: p50 {result['p50_ms']:.2f} ms, "
        f"p95 {result['p95_ms']:.2f} ms, p99 {result['p99_ms']:.2f} ms, max {result['max_ms']:.2f} ms"
    )
    print(
        f"naive scan: p50 {result['naive_p50_ms']:.0f} ms; matcher p50 {result['p50_vs_naive']:.4f}x, "
        f"p99 {result['p99_vs_naive']:.4f}x of it"
    )
    if changed:
        print(f"answers changed by synthetic intents: {changed}")
    else:
        print("answers unchanged by synthetic intents: yes")
