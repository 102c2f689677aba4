"""`talksbot bench --lang uk|ru`: where the time of a Ukrainian or Russian question goes.

The bundled pack in a fresh SQLite file, its target vectors read from VECTOR_CACHE_DIR or built
before timing (as `talksbot load` builds them). Every question is asked the bot's way (`Answerer.ask`: matching and composing the
reply), and then again in stages: finding names and out-of-scope words (inflection matching),
encoding the question, scoring it against every target. Each round starts with the query-vector
cache emptied, so the figures are for questions never seen before; a last pass asks them all again
to show what a repeated question costs. Wall time and CPU time are both given: on a shared machine
the gap between them is time spent waiting for a core, and `load_average` says how busy it was.
Resident memory is measured before and after the encoder loads. With `--json` the last stdout line
is one JSON object.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.bench import _current_rss_mb, _percentile
from bot.progress import note
from knowledge.crosslingual import DEFAULT_THRESHOLD, THRESHOLDS, CrossLingualMatcher, Threshold
from knowledge.evaluation import read_questions
from knowledge.language import detect_language
from knowledge.store.store import Store

if TYPE_CHECKING:
    import numpy as np

QUESTIONS = {
    "uk": [
        "Хто очолює українську делегацію?",
        "Хто керує делегацією Росії на цих переговорах?",
        "Де проходять переговори?",
        "Коли почнуться переговори між Україною та Росією?",
        "Хто такий Мединський?",
        "Чи приїде Путін до Стамбула?",
        "Чого хоче Україна від переговорів?",
        "Чи погоджується Росія на припинення вогню?",
        "Хто ще входить до складу української делегації?",
        "Яку роль відіграють США?",
        "Що сказав Зеленський після зустрічі з Ердоганом?",
        "Скільки років Умєрову?",
        "Хто очолює польську делегацію?",
        "Яка погода в Стамбулі?",
        "Добрий день, підкажіть, будь ласка, хто представляє Україну на переговорах у Туреччині і чи там Зеленський?",
        "Хто заступник міністра оборони Росії?",
        "Чому переговори 2022 року провалилися?",
        "Чи був Умєров причетний до зернової угоди?",
        "khto ocholiuie delehatsiiu ukrainy",
        "де зараз Лавров",
    ],
    "ru": [
        "Кто возглавляет российскую делегацию?",
        "Кто руководит делегацией Украины на этих переговорах?",
        "Где проходят переговоры?",
        "Когда начнутся переговоры между Россией и Украиной?",
        "Кто такой Умеров?",
        "Приедет ли Путин в Стамбул?",
        "Чего хочет Россия от переговоров?",
        "Согласна ли Украина на прекращение огня?",
        "Кто ещё входит в состав российской делегации?",
        "Какую роль играют США?",
        "Что сказал Зеленский после встречи с Эрдоганом?",
        "Сколько лет Мединскому?",
        "Кто возглавляет польскую делегацию?",
        "Какая погода в Стамбуле?",
        "Здравствуйте, подскажите, пожалуйста, кто представляет Россию на переговорах в Турции и будет ли там Путин?",
        "Кто заместитель министра обороны России?",
        "Почему переговоры 2022 года провалились?",
        "Участвовал ли Умеров в зерновой сделке?",
        "kto vozglavlyaet delegatsiyu rossii",
        "где сейчас Лавров",
    ],
}
"""Written for this benchmark: in and out of scope, short and chatty, one in Latin letters."""


def run_language_bench(
    lang: str,
    rounds: int = 5,
    questions_file: Path | None = None,
    as_json: bool = False,
    cache_dir: Path | None = None,
) -> int:
    """`cache_dir`: where the target vectors are kept (VECTOR_CACHE_DIR), so a second run need not
    encode them again; a scratch directory when None."""
    questions = _questions(lang, questions_file)
    with tempfile.TemporaryDirectory(prefix="talksbot-bench-") as scratch:
        result = asyncio.run(_measure(Path(scratch), cache_dir or Path(scratch) / "vectors", lang, questions, rounds))
    if as_json:
        print(json.dumps(result))
    else:
        _print_human(result)
    return 0 if result["encoder"] else 1


def _questions(lang: str, questions_file: Path | None) -> list[str]:
    if questions_file is None:
        return QUESTIONS[lang]
    found = [q.question for q in read_questions(questions_file) if detect_language(q.question) == lang]
    return list(dict.fromkeys(found))


async def _measure(scratch: Path, cache_dir: Path, lang: str, questions: list[str], rounds: int) -> dict[str, Any]:
    store = await Store.open(f"sqlite+aiosqlite:///{scratch / 'talksbot.db'}", cache_dir=cache_dir)
    try:
        answerer = await store.answerer()
    finally:
        await store.close()
    answerer.ask("Who leads Ukraine's team?")  # the English matcher warmed, as in a running bot
    rss_without = _current_rss_mb()
    note("loading the encoder and the target vectors (encoding them if not cached, as talksbot load does) ...")
    cross = answerer.crosslingual
    started = time.perf_counter()
    if not cross.warm():
        return {"lang": lang, "encoder": False, "questions": len(questions)}
    warm_s = time.perf_counter() - started
    rss_with = _current_rss_mb()
    encoder = cross.encoder
    assert encoder is not None
    threshold = THRESHOLDS.get(lang, DEFAULT_THRESHOLD)

    ask_wall: list[float] = []
    ask_cpu: list[float] = []
    stages: dict[str, list[float]] = {"names": [], "encode": [], "score": []}
    for _ in range(rounds):
        cross.forget_query_vectors()
        for question in questions:
            wall, cpu = _timed(answerer.ask, question, lang)
            ask_wall.append(wall)
            ask_cpu.append(cpu)
        cross.forget_query_vectors()
        for question in questions:
            stages["names"].append(_timed(_names, cross, question)[0])
            stages["encode"].append(_timed(cross.query_vector, encoder, question)[0])
            vector = cross.query_vector(encoder, question)
            stages["score"].append(_timed(_score, cross, vector, threshold)[0])
    repeated = [_timed(answerer.ask, question, lang)[0] for question in questions]
    load1, load5, _ = os.getloadavg()
    result: dict[str, Any] = {
        "lang": lang,
        "encoder": True,
        "questions": len(ask_wall),
        "distinct_questions": len(questions),
        "targets": len(cross.targets),
        "p50_ms": _r(statistics.median(ask_wall)),
        "p95_ms": _r(_percentile(sorted(ask_wall), 0.95)),
        "max_ms": _r(max(ask_wall)),
        "cpu_p50_ms": _r(statistics.median(ask_cpu)),
        "cpu_p95_ms": _r(_percentile(sorted(ask_cpu), 0.95)),
        "repeated_p50_ms": _r(statistics.median(repeated)),
        "repeated_p95_ms": _r(_percentile(sorted(repeated), 0.95)),
        "warm_s": round(warm_s, 2),
        "rss_mb_without_encoder": round(rss_without),
        "rss_mb_with_encoder": round(rss_with),
        "load_average": [round(load1, 2), round(load5, 2)],
        "cpus": os.cpu_count(),
    }
    for stage, timings in stages.items():
        result[f"{stage}_p50_ms"] = _r(statistics.median(timings))
        result[f"{stage}_p95_ms"] = _r(_percentile(sorted(timings), 0.95))
    return result


def _names(cross: CrossLingualMatcher, question: str) -> None:
    cross.names.find(question)
    cross.out_of_scope(question)


def _score(cross: CrossLingualMatcher, vector: np.ndarray, threshold: Threshold) -> None:
    cross.similarities(vector, threshold).argsort()


def _timed(call: Callable[..., object], *args: object) -> tuple[float, float]:
    """(wall ms, CPU ms of this process) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    call(*args)
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def _r(ms: float) -> float:
    return round(ms, 2)


def _print_human(result: dict[str, Any]) -> None:
    if not result["encoder"]:
        print(f"the sentence encoder is not installed here: {result['lang']} questions use the keyword fallback")
        return
    print(
        f"{result['lang']}: {result['questions']} questions ({result['distinct_questions']} distinct) against "
        f"{result['targets']:,} targets; load average {result['load_average'][0]} on {result['cpus']} CPUs"
    )
    print(
        f"per question (Answerer.ask): p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms, "
        f"max {result['max_ms']:.1f} ms; CPU p50 {result['cpu_p50_ms']:.1f} ms, p95 {result['cpu_p95_ms']:.1f} ms"
    )
    print(
        f"stages, p50/p95 ms: names and out-of-scope words {result['names_p50_ms']:.2f}/{result['names_p95_ms']:.2f}, "
        f"encoding {result['encode_p50_ms']:.1f}/{result['encode_p95_ms']:.1f}, "
        f"scoring {result['score_p50_ms']:.2f}/{result['score_p95_ms']:.2f}"
    )
    print(f"a repeated question: p50 {result['repeated_p50_ms']:.2f} ms, p95 {result['repeated_p95_ms']:.2f} ms")
    print(
        f"resident memory: {result['rss_mb_without_encoder']} MiB without the encoder, "
        f"{result['rss_mb_with_encoder']} MiB with it (loaded and targets encoded in {result['warm_s']:.1f} s)"
    )
