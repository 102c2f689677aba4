"""`talksbot bench`: answering speed and memory with the bundled pack plus many synthetic intents.

The synthetic intents are built from a vocabulary of made-up words, so they compete with the real
ones for every question without ever being a correct answer; answers must not change.
"""

from __future__ import annotations

import dataclasses
import random
import resource
import statistics
import time

from knowledge.matcher import Matcher
from knowledge.pack import bundled_pack_dir, read_pack
from knowledge.store import FactInfo, IntentInfo, Knowledge, EntityInfo, QuoteInfo, SourceInfo

QUESTIONS = [
    "Who leads Ukraine's team?", "who leds the ukrainain delgation", "Who speaks for Kyiv in Istanbul?",
    "Who is Medinsky?", "Where are the talks?", "Is Putin attending?", "What does Russia want?",
    "Who leads the Polish delegation?", "How old is Umerov's daughter?", "hello",
]


def knowledge_from_bundled_pack() -> Knowledge:
    """The bundled pack as a Knowledge snapshot, without a database (the benchmark measures the matcher)."""
    pack = read_pack(bundled_pack_dir())
    sources = {s.id: SourceInfo(s.id, s.title, s.publisher, s.url, s.as_of) for s in pack.sources}
    facts = {f.id: FactInfo(f.id, f.statement, f.as_of, f.entities,
                            tuple(QuoteInfo(sources[q.source], q.text) for q in f.quotes), _epoch())
             for f in pack.facts}
    entities = {e.id: EntityInfo(e.id, e.kind, e.name, e.side, e.aliases) for e in pack.entities}
    intents = {i.id: IntentInfo(i.id, i.phrasings, dict(i.answers), i.suggest, i.requires) for i in pack.intents}
    synonyms = {variant: canonical for canonical, variants in pack.lexicon.synonyms.items() for variant in variants}
    return Knowledge(facts, entities, intents, frozenset(pack.lexicon.stopwords), synonyms,
                     tuple(sources.values()), pack.as_of, (pack.id,))


def _epoch():  # type: ignore[no-untyped-def]
    import datetime as dt

    return dt.datetime(2025, 5, 15, tzinfo=dt.timezone.utc)


def with_synthetic_intents(knowledge: Knowledge, count: int, seed: int = 7) -> Knowledge:
    rng = random.Random(seed)
    syllables = ["ka", "lo", "mi", "zu", "re", "tan", "vor", "pli", "se", "dra", "gu", "nem"]
    words = ["".join(rng.choice(syllables) for _ in range(3)) for _ in range(5000)]
    some_fact = next(iter(knowledge.facts))
    intents = dict(knowledge.intents)
    for index in range(count):
        phrasings = tuple(" ".join(rng.sample(words, rng.randint(3, 6))) for _ in range(2))
        intents[f"synthetic_{index}"] = IntentInfo(f"synthetic_{index}", phrasings, {None: some_fact}, None)
    return dataclasses.replace(knowledge, intents=intents)


def run_bench(quick: bool = False, intents: int = 100_000) -> int:
    count = 2_000 if quick else intents
    base = knowledge_from_bundled_pack()
    expected = {q: Matcher(base).match(q).fact for q in QUESTIONS}

    knowledge = with_synthetic_intents(base, count)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    matcher = Matcher(knowledge)
    build_seconds = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    rounds = 1 if quick else 5
    timings: list[float] = []
    changed: list[str] = []
    for _ in range(rounds):
        for question in QUESTIONS:
            started = time.perf_counter()
            fact = matcher.match(question).fact
            timings.append((time.perf_counter() - started) * 1000)
            if fact != expected[question]:
                changed.append(question)
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    print(f"intents: {len(matcher.knowledge.intents)} ({count} synthetic)")
    print(f"index build: {build_seconds:.2f} s; peak resident memory {rss_after / 1024:.0f} MiB "
          f"(+{(rss_after - rss_before) / 1024:.0f} MiB while building)")
    print(f"answer latency over {len(timings)} questions: median {statistics.median(timings):.1f} ms, "
          f"p95 {p95:.1f} ms, max {timings[-1]:.1f} ms")
    if changed:
        print(f"answers changed by synthetic intents: {sorted(set(changed))}")
        return 1
    print("answers unchanged by synthetic intents: yes")
    return 0
