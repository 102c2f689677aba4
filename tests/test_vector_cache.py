"""The encoded targets are cached on disk per pack and encoder version, and rebuilt when either changes.

The encoder here is a small deterministic stand-in (the real one takes a minute to encode a pack);
everything of ours, the store, the pack, the cache and the matcher, is real.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import yaml

from knowledge.crosslingual import CrossLingualMatcher
from knowledge.store.store import Store
from knowledge.records import Knowledge


class CountingEncoder:
    """Vectors from text hashes; counts how many texts it was asked to encode."""

    def __init__(self, version: str = "stand-in-1") -> None:
        self.version = version
        self.encoded = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        self.encoded += len(texts)
        rows = [
            np.frombuffer(hashlib.sha256(t.encode()).digest(), dtype=np.uint8).astype(np.float32) - 127.5 for t in texts
        ]
        vectors = np.array(rows)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def cached_files(directory: Path) -> int:
    return len(list(directory.glob("vectors-*.npz")))


def matcher(knowledge: Knowledge, encoder: CountingEncoder, cache: Path) -> CrossLingualMatcher:
    return CrossLingualMatcher(knowledge, lambda analysis: (), cache_dir=cache, load=lambda: encoder)


async def test_targets_are_encoded_once_then_read_from_the_cache(store: Store, tmp_path: Path) -> None:
    await store.load()
    knowledge = await store.knowledge()
    first, second = CountingEncoder(), CountingEncoder()
    matcher(knowledge, first, tmp_path).match("Хто очолює делегацію України?", "uk")
    matcher(knowledge, second, tmp_path).match("Хто очолює делегацію України?", "uk")
    assert first.encoded > 100
    assert second.encoded == 1  # only the question
    assert cached_files(tmp_path) == 1


async def test_a_changed_pack_gets_its_targets_encoded_again(store: Store, pack_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    await store.load(pack_copy)
    before = CountingEncoder()
    matcher(await store.knowledge(), before, cache).match("Хто очолює делегацію України?", "uk")

    facts_file = pack_copy / "facts.yaml"
    data = yaml.safe_load(facts_file.read_text(encoding="utf-8"))
    data["facts"][0]["statement_uk"] = "Переговори відбуваються в Стамбулі, у Туреччині."
    facts_file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    await store.load(pack_copy)
    after = CountingEncoder()
    matcher(await store.knowledge(), after, cache).match("Хто очолює делегацію України?", "uk")

    assert after.encoded == before.encoded
    assert cached_files(cache) == 2


async def test_another_encoder_version_does_not_reuse_the_vectors(store: Store, tmp_path: Path) -> None:
    await store.load()
    knowledge = await store.knowledge()
    matcher(knowledge, CountingEncoder("stand-in-1"), tmp_path).match("Хто такий Умєров?", "uk")
    newer = CountingEncoder("stand-in-2")
    matcher(knowledge, newer, tmp_path).match("Хто такий Умєров?", "uk")
    assert newer.encoded > 100


async def test_english_questions_never_load_the_encoder(store: Store, tmp_path: Path) -> None:
    from knowledge.answer import Answerer

    await store.load()
    loads: list[int] = []
    cache = tmp_path / "cache"
    answerer = Answerer(
        await store.knowledge(), cache_dir=cache, load_encoder=lambda: loads.append(1) or CountingEncoder()
    )
    assert answerer.ask("Who leads Ukraine's team?").answered
    assert loads == [] and not cache.exists()
    assert answerer.ask("Хто очолює делегацію України?").answered  # every word glossed: no encoder needed
    assert loads == []
    answerer.ask("Хто очолює делегацію України, якщо коротенько?")  # a word the glossary lacks
    assert loads == [1]
