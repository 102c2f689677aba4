"""The schema's history is one line: branches developed side by side must not leave two heads."""

from __future__ import annotations

from alembic.script import ScriptDirectory

from knowledge.store.db import alembic_config


def test_migrations_form_one_chain_with_one_head() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1, script.get_heads()
    revisions = list(script.walk_revisions())
    assert len({r.revision for r in revisions}) == len(revisions)
    assert [r.down_revision for r in revisions][-1] is None
