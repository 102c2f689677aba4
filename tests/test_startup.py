"""Starting cheaply: `talksbot ask` on a set-up database needs neither Alembic nor Telegram."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory

from knowledge.store.db import alembic_config, head_revision

PROBE = """
import sys
from bot.cli import main
main(sys.argv[1:])
print(sorted(m for m in ("alembic", "telegram", "sqlalchemy") if m in sys.modules), file=sys.stderr)
"""


def _run(tmp_path: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args], cwd=tmp_path, env=env, capture_output=True, timeout=120
    )
    assert result.returncode == 0, result.stderr.decode()
    return result.stderr.decode().strip().splitlines()[-1]


def test_the_newest_migration_is_read_from_the_files_as_alembic_reads_it() -> None:
    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_ask_imports_alembic_only_while_the_schema_is_behind(tmp_path: Path) -> None:
    assert _run(tmp_path, "ask", "hello") == "['alembic', 'sqlalchemy']"  # a new database is migrated
    assert _run(tmp_path, "ask", "hello") == "['sqlalchemy']"


def test_help_imports_no_database_stack(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()}
    probe = PROBE.replace("main(sys.argv[1:])", "try:\n    main(['--help'])\nexcept SystemExit:\n    pass")
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, timeout=60)
    assert result.stderr.decode().strip().splitlines()[-1] == "[]"
