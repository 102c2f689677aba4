"""A persisted matcher index decides exactly as a fresh build, and an untrustworthy file is rebuilt."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from knowledge.answer import Answerer
from knowledge.evaluation import default_eval_file, read_questions
from knowledge.index_cache import cached_matcher, load_knowledge, load_matcher, save_knowledge, save_matcher
from knowledge.matcher import Matcher
from knowledge.records import Knowledge
from knowledge.store.registry import unload_pack
from knowledge.store.snapshot import knowledge_rows_version
from knowledge.store.store import Store

QUESTION_SETS = sorted((Path(__file__).parent / "data" / "dev").glob("*.yaml")) + [default_eval_file()]
"""The development sets and the pack's own; the sealed sets are for CI alone."""


@pytest.fixture(scope="module")
def knowledge(answerer: Answerer) -> Knowledge:
    return answerer.knowledge


def _persisted(knowledge: Knowledge, directory: Path) -> Matcher:
    assert save_matcher(Matcher(knowledge), directory) is not None
    matcher = load_matcher(knowledge, directory)
    assert matcher is not None
    return matcher


def test_a_persisted_index_decides_every_evaluation_question_as_a_fresh_build(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    fresh, persisted = Matcher(knowledge), _persisted(knowledge, tmp_path)
    questions = [q.question for path in QUESTION_SETS for q in read_questions(path)]
    assert len(questions) > 1000
    for question in questions:
        assert persisted.match(question) == fresh.match(question), question
        assert persisted.candidates(question) == fresh.candidates(question), question
    assert persisted.default_suggestions() == fresh.default_suggestions()
    assert all(persisted.suggestion_for_fact(f) == fresh.suggestion_for_fact(f) for f in knowledge.facts)


def test_a_corrupt_index_is_rebuilt_and_replaced(knowledge: Knowledge, tmp_path: Path) -> None:
    path = save_matcher(Matcher(knowledge), tmp_path)
    assert path is not None
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF
    path.write_bytes(bytes(data))
    assert load_matcher(knowledge, tmp_path) is None
    assert cached_matcher(knowledge, tmp_path).match("Who leads Ukraine's team?").fact == "ukraine_lead"
    assert load_matcher(knowledge, tmp_path) is not None


def test_a_truncated_index_is_not_used(knowledge: Knowledge, tmp_path: Path) -> None:
    path = save_matcher(Matcher(knowledge), tmp_path)
    assert path is not None
    path.write_bytes(path.read_bytes()[:200])
    assert load_matcher(knowledge, tmp_path) is None


def test_an_index_built_for_other_packs_is_not_used(knowledge: Knowledge, tmp_path: Path) -> None:
    save_matcher(Matcher(knowledge), tmp_path)
    changed = dataclasses.replace(knowledge, fingerprint=knowledge.fingerprint + "-changed")
    assert load_matcher(changed, tmp_path) is None


def test_an_index_file_under_another_name_is_not_trusted(knowledge: Knowledge, tmp_path: Path) -> None:
    path = save_matcher(Matcher(knowledge), tmp_path)
    other = dataclasses.replace(knowledge, fingerprint="other")
    assert path is not None and save_matcher(Matcher(other), tmp_path) is not None
    target = next(p for p in tmp_path.glob("*.index") if p != path)
    path.write_bytes(target.read_bytes())  # the right name, another key inside
    assert load_matcher(knowledge, tmp_path) is None


def test_an_index_reached_through_a_symlink_is_not_read(knowledge: Knowledge, tmp_path: Path) -> None:
    elsewhere, inside = tmp_path / "elsewhere", tmp_path / "index"
    path = save_matcher(Matcher(knowledge), elsewhere)
    assert path is not None
    inside.mkdir()
    (inside / path.name).symlink_to(path)
    assert load_matcher(knowledge, inside) is None


def test_knowledge_without_a_fingerprint_is_never_persisted(knowledge: Knowledge, tmp_path: Path) -> None:
    anonymous = dataclasses.replace(knowledge, fingerprint="")
    assert save_matcher(Matcher(anonymous), tmp_path) is None
    assert cached_matcher(anonymous, tmp_path).match("Where are the talks?").fact == "talks_location"
    assert not list(tmp_path.iterdir())


async def test_the_knowledge_is_read_back_from_the_data_directory_while_its_packs_are_unchanged(
    tmp_path: Path, pack_copy: Path
) -> None:
    index_dir = tmp_path / "index"
    store = await Store.open(f"sqlite+aiosqlite:///{tmp_path / 't.db'}", index_dir)
    try:
        await store.load(pack_copy)
        first = await store.fresh_answerer()
        assert list(index_dir.glob("*.knowledge"))
        kept = load_knowledge(index_dir, await knowledge_rows_version(store.sessions))
        assert kept == first.knowledge  # the same facts, intents and lexicon as read from the rows
        again = await store.fresh_answerer()
        assert again.knowledge == first.knowledge and again.knowledge is not first.knowledge
        await unload_pack(store.sessions, first.knowledge.packs[0])
        await store.load(pack_copy)  # the same pack loaded anew: new rows, so not the old copy
        assert load_knowledge(index_dir, await knowledge_rows_version(store.sessions)) is None
        assert (await store.fresh_answerer()).knowledge.rows_version != first.knowledge.rows_version
    finally:
        await store.close()


def test_a_knowledge_copy_under_other_rows_is_not_used(knowledge: Knowledge, tmp_path: Path) -> None:
    stamped = dataclasses.replace(knowledge, rows_version="a" * 64)
    assert save_knowledge(stamped, tmp_path) is not None
    assert load_knowledge(tmp_path, "a" * 64) == stamped
    assert load_knowledge(tmp_path, "b" * 64) is None
    assert save_knowledge(dataclasses.replace(knowledge, rows_version=""), tmp_path / "none") is None
