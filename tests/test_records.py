"""One record type: knowledge built straight from pack folders is the knowledge the store reads back.

The engine needs no database: `knowledge_from_packs` and the store's snapshot give the same facts,
quotes, entities, intents and lexicon, so the same questions get the same replies either way.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import yaml

from knowledge.answer import Answerer
from knowledge.assemble import knowledge_from_packs
from knowledge.pack import bundled_pack_dir
from knowledge.records import NO_HISTORY, Knowledge, Source
from knowledge.store.loader import read_checked_pack
from knowledge.store.store import Store

QUESTIONS = (
    "who leads Ukraine's team?",
    "Where are the talks?",
    "Хто очолює делегацію України?",
    "what is the weather",
)


def without_history(knowledge: Knowledge) -> Knowledge:
    """What the store adds (when each fact was first held) and leaves out (source texts) set aside."""

    def bare(source: Source) -> Source:
        return dataclasses.replace(source, text="", parts={})

    facts = {
        key: dataclasses.replace(
            fact,
            added_at=NO_HISTORY,
            quotes=tuple(dataclasses.replace(q, source=bare(q.source)) for q in fact.quotes),
        )
        for key, fact in knowledge.facts.items()
    }
    return dataclasses.replace(knowledge, facts=facts, sources=tuple(bare(s) for s in knowledge.sources))


def later_pack(pack_copy: Path) -> Path:
    """The bundled pack as a second, newer pack whose first fact says something else."""
    meta = yaml.safe_load((pack_copy / "pack.yaml").read_text(encoding="utf-8"))
    meta.update(id="later-pack", as_of="2030-01-01", title="A later pack")
    (pack_copy / "pack.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    facts = yaml.safe_load((pack_copy / "facts.yaml").read_text(encoding="utf-8"))
    facts["facts"][0]["statement"] = "A statement only the later pack makes."
    (pack_copy / "facts.yaml").write_text(yaml.safe_dump(facts, allow_unicode=True), encoding="utf-8")
    return pack_copy


async def test_a_pack_folder_gives_the_knowledge_the_store_gives(any_store: Store, pack_copy: Path) -> None:
    packs = [read_checked_pack(bundled_pack_dir()), read_checked_pack(later_pack(pack_copy))]
    for pack in packs:
        await any_store.load(pack_dir=None if pack.id != "later-pack" else pack_copy)
    stored = await any_store.knowledge()
    built = knowledge_from_packs(reversed(packs))

    assert stored.packs == built.packs == (packs[0].id, "later-pack")
    assert all(f.added_at > NO_HISTORY for f in stored.facts.values())
    assert all(f.added_at == NO_HISTORY for f in built.facts.values())
    assert without_history(stored) == without_history(built)
    first = packs[0].facts[0].id
    assert built.facts[first].statement == "A statement only the later pack makes."  # the later pack supersedes
    assert built.fingerprint == stored.fingerprint and built.stamp == stored.stamp


async def test_the_same_questions_get_the_same_replies_either_way(store: Store, vector_cache: Path) -> None:
    await store.ensure_pack()
    from_store = await store.fresh_answerer()
    from_folder = Answerer(knowledge_from_packs([read_checked_pack(bundled_pack_dir())]), cache_dir=vector_cache)
    for question in QUESTIONS:
        assert from_store.ask(question).html() == from_folder.ask(question).html(), question
    reply = from_folder.ask(QUESTIONS[0])
    assert reply.answered and reply.citations
