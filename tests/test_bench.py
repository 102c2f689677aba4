"""`talksbot bench`: the JSON contract, measured on the production path (speed is for the bench itself)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

CONTRACT = {"n_intents", "index_s", "load_s", "p50_ms", "p95_ms", "p99_ms", "max_ms", "rss_mb", "naive_p50_ms"}


def test_bench_json_ends_with_one_object_holding_the_contract_figures(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DATA_DIR"}}
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "bench", "--intents", "300", "--json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr.decode()
    figures = json.loads(result.stdout.decode().rstrip("\n").split("\n")[-1])
    assert CONTRACT <= set(figures)
    assert figures["n_intents"] > 300 and figures["answers_changed"] == 0
    assert figures["p50_ms"] <= figures["p95_ms"] <= figures["p99_ms"] <= figures["max_ms"]
    assert "building index" in result.stderr.decode()  # the progress bar goes to stderr
