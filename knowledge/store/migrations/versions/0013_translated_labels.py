"""translated labels: entity name forms, suggestion labels and profile texts per language

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch): on SQLite a batch may rebuild `packs`, and dropping the old table
    # would cascade to every intent, entity and fact of every pack.
    op.add_column("entities", sa.Column("forms", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
    op.add_column("intents", sa.Column("suggestions", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
    op.add_column("packs", sa.Column("descriptions", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))


def downgrade() -> None:
    with op.batch_alter_table("packs", schema=None) as batch_op:
        batch_op.drop_column("descriptions")
    with op.batch_alter_table("intents", schema=None) as batch_op:
        batch_op.drop_column("suggestions")
    with op.batch_alter_table("entities", schema=None) as batch_op:
        batch_op.drop_column("forms")
