"""A copy of the bundled pack with many synthetic intents, for `talksbot bench` and load tests.

The synthetic intents are phrased in made-up words, so they compete with the real intents for
every question without ever being a correct answer: answers must not change. They go through the
production path (pack files, `talksbot load`, the store), like a maintainer's own large pack.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

from knowledge.pack import bundled_pack_dir

SYNTHETIC_PREFIX = "synthetic_"
_SYLLABLES = ["ka", "lo", "mi", "zu", "re", "tan", "vor", "pli", "se", "dra", "gu", "nem"]


def write_synthetic_pack(target: Path, count: int, seed: int = 7) -> Path:
    """The bundled pack copied to `target` with `count` synthetic intents appended to intents.yaml."""
    shutil.copytree(bundled_pack_dir(), target)
    facts = (target / "facts.yaml").read_text(encoding="utf-8")
    some_fact = next(line.split(":", 1)[1].strip() for line in facts.splitlines() if line.lstrip().startswith("- id:"))
    rng = random.Random(seed)
    words = ["".join(rng.choice(_SYLLABLES) for _ in range(3)) for _ in range(5000)]
    intents = target / "intents.yaml"
    with intents.open("a", encoding="utf-8") as out:  # `intents:` is the file's last (only) key
        out.write("\n")
        for index in range(count):
            out.write(f"  - id: {SYNTHETIC_PREFIX}{index}\n    phrasings:\n")
            for _ in range(2):
                out.write(f"      - {json.dumps(' '.join(rng.sample(words, rng.randint(3, 6))))}\n")
            out.write(f"    answer: {some_fact}\n")
    return target
