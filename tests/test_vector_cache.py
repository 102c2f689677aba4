"""The encoded targets are cached on disk per pack and encoder version, and rebuilt when either changes.

The encoder here is a small deterministic stand-in (the real one takes a minute to encode a pack);
everything of ours, the store, the pack, the cache and the matcher, is real.
"""

from __future__ import annotations

import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import yaml

from knowledge.crosslingual import CrossLingualMatcher, prepare_vectors
from knowledge.records import Knowledge
from knowledge.store.store import Store
from knowledge.vector_cache import CHUNK
from tests.support.waiting import DEADLINE_SECONDS


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
    answerer.ask("Хто фрумбліцьки очолює делегацію України?")  # a word no glossary has (made up)
    assert loads == [1]


class HeldEncoder(CountingEncoder):
    """Encodes targets only once `release` is set, so a test can ask questions while a build runs."""

    def __init__(self) -> None:
        super().__init__()
        self.building = threading.Event()
        self.release = threading.Event()

    def encode(self, texts: list[str]) -> np.ndarray:
        if len(texts) > 1:  # the targets, never a question
            self.building.set()
            assert self.release.wait(DEADLINE_SECONDS), "the test never released the build"
        return super().encode(texts)


async def test_a_question_during_a_background_build_gets_the_keyword_fallback_without_waiting(
    store: Store, tmp_path: Path
) -> None:
    await store.load()
    encoder = HeldEncoder()
    cross = matcher(await store.knowledge(), encoder, tmp_path)
    cross.start_warming()
    assert encoder.building.wait(DEADLINE_SECONDS)

    with ThreadPoolExecutor(1) as pool:  # were it to wait for the held build, the deadline would fail it
        during = pool.submit(cross.match, "Хто очолює делегацію України?", "uk").result(DEADLINE_SECONDS)
    assert during.fact == "ukraine_lead" and during.reason == "fact_text"  # the keyword fallback's answer
    assert not cross.ready.is_set() and encoder.encoded == 0 and cached_files(tmp_path) == 0

    encoder.release.set()
    assert cross.ready.wait(DEADLINE_SECONDS)
    before = encoder.encoded
    cross.match("Хто очолює делегацію України?", "uk")
    assert encoder.encoded == before + 1  # now the question itself is encoded and compared
    assert cached_files(tmp_path) == 1


async def test_a_stopped_background_build_stores_nothing_and_leaves_the_fallback(store: Store, tmp_path: Path) -> None:
    await store.load()
    encoder = HeldEncoder()
    cross = matcher(await store.knowledge(), encoder, tmp_path)
    thread = cross.start_warming()
    assert encoder.building.wait(DEADLINE_SECONDS)
    cross.stop_warming()
    encoder.release.set()
    thread.join(DEADLINE_SECONDS)
    assert not thread.is_alive() and cross.ready.is_set()
    assert cached_files(tmp_path) == 0 and encoder.encoded <= CHUNK  # stopped after the chunk under way
    assert cross.match("Хто очолює делегацію України?", "uk").reason == "fact_text"


async def test_prepare_vectors_fills_the_cache_that_questions_then_read(store: Store, tmp_path: Path) -> None:
    await store.load()
    knowledge = await store.knowledge()
    building = CountingEncoder()
    assert prepare_vectors(knowledge, tmp_path, load=lambda: building)
    assert building.encoded > 100 and cached_files(tmp_path) == 1
    asking = CountingEncoder()
    matcher(knowledge, asking, tmp_path).match("Хто очолює делегацію України?", "uk")
    assert asking.encoded == 1
    assert not prepare_vectors(knowledge, tmp_path / "none", load=lambda: None)  # no encoder: nothing to do


async def test_a_question_asked_again_is_not_encoded_again(store: Store, tmp_path: Path) -> None:
    await store.load()
    encoder = CountingEncoder()
    cross = matcher(await store.knowledge(), encoder, tmp_path)
    first = cross.match("Хто очолює делегацію України?", "uk")
    after_first = encoder.encoded
    again = cross.match("Хто  очолює делегацію   України?", "uk")  # inner spaces do not change a vector
    assert encoder.encoded == after_first and again.fact == first.fact
    cross.match("Хто очолює делегацію Росії?", "uk")
    assert encoder.encoded == after_first + 1
