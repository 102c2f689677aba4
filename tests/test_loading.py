"""Loading packs into a real SQLite file: idempotent, all or nothing, history kept across versions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from sqlalchemy import text

from knowledge.store.db import StoreError
from knowledge.pack import PackError
from knowledge.store.store import Store

TABLES = (
    "packs",
    "sources",
    "entities",
    "aliases",
    "facts",
    "quotes",
    "intents",
    "phrasings",
    "intent_answers",
    "lexicon_terms",
)


async def dump(store: Store) -> dict[str, list[tuple]]:
    async with store.engine.connect() as connection:
        return {
            table: [tuple(row) for row in await connection.execute(text(f"SELECT * FROM {table} ORDER BY 1"))]
            for table in TABLES
        }


async def test_fresh_database_gets_the_bundled_pack(store: Store) -> None:
    result = await store.ensure_pack()
    assert result is not None and result.changed and result.facts_added >= 40
    assert await store.ensure_pack() is None  # a pack is there now: nothing more to do


async def test_loading_the_same_pack_twice_changes_nothing(store: Store) -> None:
    await store.load()
    before = await dump(store)
    second = await store.load()
    assert not second.changed
    assert await dump(store) == before


async def check_failed_load_changes_nothing(store: Store, pack_copy: Path) -> None:
    """Load the bundled pack, then a copy whose quote is no longer verbatim: every table stays as it was."""
    await store.load()
    before = await dump(store)
    facts = pack_copy / "facts.yaml"
    facts.write_text(facts.read_text().replace("Rustem Umerov, who has Crimean", "Rustem Umerov, who has Tatar"))
    with pytest.raises(PackError):
        await store.load(pack_copy)
    assert await dump(store) == before


async def test_a_pack_that_fails_validation_leaves_the_database_exactly_as_it_was(
    store: Store, pack_copy: Path
) -> None:
    await check_failed_load_changes_nothing(store, pack_copy)


async def test_newer_pack_version_adds_facts_and_keeps_when_old_ones_were_added(store: Store, pack_copy: Path) -> None:
    first = await store.load()
    knowledge = await store.knowledge()
    added_at = knowledge.facts["ukraine_lead"].added_at

    facts_file = pack_copy / "facts.yaml"
    data = yaml.safe_load(facts_file.read_text())
    data["facts"].append(
        {
            "id": "bucha_civilians",
            "statement": "Hundreds of civilians were found dead in Bucha.",
            "statement_uk": "У Бучі знайшли загиблими сотні цивільних.",
            "statement_ru": "В Буче нашли погибшими сотни мирных жителей.",
            "entities": ["bucha"],
            "quotes": [{"source": "nzherald-2025-05-15", "text": "Bucha, where hundreds of civilians were found dead"}],
        }
    )
    facts_file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    intents_file = pack_copy / "intents.yaml"
    intents_file.write_text(
        intents_file.read_text()
        + ("  - id: bucha_dead\n    answer: bucha_civilians\n    phrasings: [how many civilians died in bucha]\n")
    )

    second = await store.load(pack_copy)
    assert first.changed and second.changed and second.facts_added == 1 and second.facts_removed == 0
    after = await store.knowledge()
    assert after.facts["ukraine_lead"].added_at == added_at
    assert after.facts["bucha_civilians"].added_at > added_at


async def test_unwritable_data_directory_is_a_clear_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match="cannot create data directory"):
        await Store.open(f"sqlite+aiosqlite:///{blocker}/sub/talksbot.db")


async def test_bad_database_url_is_a_clear_store_error() -> None:
    with pytest.raises(StoreError, match="not a database URL"):
        await Store.open("definitely not a url")
    with pytest.raises(StoreError, match="async driver"):
        await Store.open("sqlite:///tmp/x.db")


async def test_answers_come_from_memory_not_the_database(store: Store) -> None:
    answerer = await store.answerer()
    await store.close()  # no database any more
    reply = answerer.ask("Who leads Ukraine's delegation?")
    assert reply.answered and "Umerov" in reply.answer
    assert isinstance(reply.citations[0].as_of, dt.date)


async def test_an_older_database_is_upgraded_in_place_keeping_its_rows(db_url: str) -> None:
    from alembic import command
    from sqlalchemy.ext.asyncio import create_async_engine

    from knowledge.store.db import alembic_config

    engine = create_async_engine(db_url)
    async with engine.begin() as connection:

        def to_0002(sync_connection) -> None:  # type: ignore[no-untyped-def]
            config = alembic_config()
            config.attributes["connection"] = sync_connection
            command.upgrade(config, "0002")

        await connection.run_sync(to_0002)
        await connection.execute(
            text(
                "INSERT INTO packs (id, title, language, as_of, fingerprint) "
                "VALUES ('old', 'Old pack', 'en', '2025-01-01', 'x')"
            )
        )
        await connection.execute(
            text("INSERT INTO intents (pack_id, key, suggest, required_words) VALUES ('old', 'greeting', NULL, '[]')")
        )
    await engine.dispose()

    store = await Store.open(db_url)  # migrates to the newest revision
    try:
        async with store.engine.connect() as connection:
            rows = list(await connection.execute(text("SELECT key, excluded_words FROM intents")))
        assert [(row[0], row[1]) for row in rows] == [("greeting", "[]")]
    finally:
        await store.close()


async def test_a_reworded_fact_is_updated_in_place_and_a_dropped_one_removed(store: Store, pack_copy: Path) -> None:
    await store.load()
    before = await store.knowledge()
    facts_file = pack_copy / "facts.yaml"
    data = yaml.safe_load(facts_file.read_text())
    lead = next(f for f in data["facts"] if f["id"] == "ukraine_lead")
    lead["statement"] = lead["statement"].replace("leads", "heads")
    entities_text = (pack_copy / "entities.yaml").read_text()
    dropped = next(f["id"] for f in reversed(data["facts"]) if f["id"] not in entities_text)  # no profile names it
    data["facts"] = [f for f in data["facts"] if f["id"] != dropped]
    facts_file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    intents_file = pack_copy / "intents.yaml"
    intents = yaml.safe_load(intents_file.read_text())
    for intent in intents["intents"]:
        intent["answers"] = {k: v for k, v in intent.get("answers", {}).items() if v != dropped} or None
    intents["intents"] = [
        {k: v for k, v in i.items() if v is not None}
        for i in intents["intents"]
        if i.get("answer") != dropped and (i.get("answer") or i.get("answers"))
    ]
    intents_file.write_text(yaml.safe_dump(intents, allow_unicode=True, sort_keys=False))

    result = await store.load(pack_copy)
    after = await store.knowledge()
    assert (result.facts_added, result.facts_updated, result.facts_removed) == (0, 1, 1)
    assert "heads" in after.facts["ukraine_lead"].statement and dropped not in after.facts
    assert after.facts["ukraine_lead"].added_at == before.facts["ukraine_lead"].added_at
    assert after.facts["ukraine_lead"].quotes == before.facts["ukraine_lead"].quotes
    assert list(after.intents) == [i["id"] for i in intents["intents"]]  # pack order kept


@pytest.mark.parametrize("as_of, wins", [("2025-06-01", True), ("2025-01-01", False)])
async def test_of_two_packs_the_later_dated_one_supersedes_a_shared_fact(
    store: Store, pack_copy: Path, as_of: str, wins: bool
) -> None:
    await store.load()
    meta = pack_copy / "pack.yaml"
    meta.write_text(
        meta.read_text()
        .replace("id: istanbul-2025-05", "id: second-pack")
        .replace("as_of: 2025-05-15", f"as_of: {as_of}")
    )
    facts_file = pack_copy / "facts.yaml"
    data = yaml.safe_load(facts_file.read_text())
    lead = next(f for f in data["facts"] if f["id"] == "ukraine_lead")
    lead["statement"] = lead["statement"].replace("leads", "heads")
    facts_file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))

    await store.load(pack_copy)
    knowledge = await store.knowledge()
    assert knowledge.packs == (("istanbul-2025-05", "second-pack") if wins else ("second-pack", "istanbul-2025-05"))
    assert ("heads" in knowledge.facts["ukraine_lead"].statement) is wins
