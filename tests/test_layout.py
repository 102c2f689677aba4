"""Imports run downward: bot -> handlers -> knowledge.store -> the answer engine (the rest of knowledge/).

Read from the sources' own import statements (every one, also those inside functions and under
TYPE_CHECKING), so a module that reaches up or sideways fails here, not in review.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STORE = ROOT / "knowledge" / "store"


def imported(path: Path) -> set[str]:
    """Every module `path` imports, as dotted names (a `from a.b import c` gives a.b and a.b.c)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def reaching(paths: list[Path], *packages: str) -> dict[str, list[str]]:
    """Module -> the imports of it that fall in one of `packages` (a package or anything inside it)."""
    found: dict[str, list[str]] = {}
    for path in paths:
        bad = sorted(n for n in imported(path) if any(n == p or n.startswith(p + ".") for p in packages))
        if bad:
            found[str(path.relative_to(ROOT))] = bad
    return found


def engine_modules() -> list[Path]:
    return sorted(p for p in (ROOT / "knowledge").rglob("*.py") if STORE not in p.parents)


def test_the_layout_is_what_this_test_reads() -> None:
    assert len(engine_modules()) > 20
    assert (STORE / "db.py").is_file() and (STORE / "snapshot.py").is_file()
    assert "sqlalchemy.ext.asyncio" in imported(STORE / "db.py")  # the parser sees real imports


def test_the_engine_needs_no_database() -> None:
    assert reaching(engine_modules(), "sqlalchemy", "alembic", "knowledge.store") == {}


def test_the_engine_and_the_store_know_nothing_of_telegram() -> None:
    everything = sorted((ROOT / "knowledge").rglob("*.py"))
    upward = reaching(everything, "telegram", "handlers", "bot")
    # Alembic run by hand reads the bot's own settings, to migrate the database the bot would use.
    assert list(upward) == ["knowledge/store/migrations/env.py"]
    assert all(name.startswith("bot.settings") for name in upward["knowledge/store/migrations/env.py"])


def test_handlers_import_nothing_from_bot() -> None:
    """The bot wires handlers up; handlers reach the bot only through what it registers in `bot_data`."""
    assert reaching(sorted((ROOT / "handlers").rglob("*.py")), "bot") == {}


def test_nothing_is_left_at_the_old_paths() -> None:
    moved = ["db", "dbfile", "models", "loader", "service", "store", "subscriptions", "ledger", "unanswered"]
    moved += ["inbox", "chat_languages", "counters", "follow_ups", "registry", "errors", "live"]
    assert [m for m in moved if (ROOT / "knowledge" / f"{m}.py").exists()] == []
    assert not (ROOT / "knowledge" / "migrations").exists()
    assert not (ROOT / "knowledge" / "store" / "models.py").exists()  # split into store/tables/
    assert [m for m in ("briefings", "flood", "metrics") if (ROOT / "bot" / f"{m}.py").exists()] == []


def test_pack_tables_and_bot_state_tables_live_apart() -> None:
    """A loaded pack's rows and the running bot's state are different kinds of record."""
    from knowledge.store.tables import bot_state, pack

    pack_tables = {t.name for t in pack.Base.metadata.sorted_tables if t.name in dir_tables(pack)}
    state_tables = {t.name for t in bot_state.Base.metadata.sorted_tables if t.name in dir_tables(bot_state)}
    assert "packs" in pack_tables and "facts" in pack_tables
    assert "subscriptions" in state_tables and "received_updates" in state_tables
    assert not pack_tables & state_tables


def dir_tables(module: object) -> set[str]:
    """The table names of the models a module defines itself."""
    return {
        value.__tablename__
        for value in vars(module).values()
        if isinstance(value, type)
        and getattr(value, "__module__", "") == getattr(module, "__name__", "")
        and hasattr(value, "__tablename__")
    }
