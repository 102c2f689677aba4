"""Answering speed and memory with a large pack: `python benchmarks/bench_matcher.py [--quick] [--json]`.

Same as `talksbot bench`; kept here so benchmarks live together as the project grows.
"""

import sys

from bot.bench import run_bench

if __name__ == "__main__":
    sys.exit(run_bench(quick="--quick" in sys.argv, as_json="--json" in sys.argv))
