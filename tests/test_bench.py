"""`talksbot bench`: the JSON contract, measured on the production path (speed is for the bench itself)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.encoder import encoder_installed

CONTRACT = {"n_intents", "index_s", "load_s", "p50_ms", "p95_ms", "p99_ms", "max_ms", "rss_mb", "naive_p50_ms"}


def bench(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """`talksbot bench ARGS` in a fresh process, with no database settings (VECTOR_CACHE_DIR is kept)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DATA_DIR"}}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "bench", *args], cwd=cwd, env=env, capture_output=True, timeout=300
    )


def test_bench_json_ends_with_one_object_holding_the_contract_figures(tmp_path: Path) -> None:
    result = bench(tmp_path, "--intents", "300", "--json")
    assert result.returncode == 0, result.stderr.decode()
    figures = json.loads(result.stdout.decode().rstrip("\n").split("\n")[-1])
    assert CONTRACT <= set(figures)
    assert figures["n_intents"] > 300 and figures["answers_changed"] == 0
    assert figures["p50_ms"] <= figures["p95_ms"] <= figures["p99_ms"] <= figures["max_ms"]
    assert "building index" in result.stderr.decode()  # the progress bar goes to stderr


@pytest.mark.skipif(not encoder_installed(), reason="the sentence encoder is not installed here")
def test_bench_lang_times_cyrillic_questions_stage_by_stage(tmp_path: Path) -> None:
    result = bench(tmp_path, "--lang", "uk", "--quick", "--json")
    assert result.returncode == 0, result.stderr.decode()
    figures = json.loads(result.stdout.decode().rstrip("\n").split("\n")[-1])
    assert figures["lang"] == "uk" and figures["encoder"] and figures["questions"] >= 20
    assert figures["p50_ms"] <= figures["p95_ms"] <= figures["max_ms"]
    assert figures["rss_mb_with_encoder"] > figures["rss_mb_without_encoder"] > 0
    assert {"names_p95_ms", "encode_p95_ms", "score_p95_ms", "cpu_p95_ms", "load_average"} <= set(figures)
    assert figures["repeated_p50_ms"] < figures["encode_p50_ms"]  # a repeated question is not encoded again
