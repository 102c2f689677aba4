"""translated statements and names, out-of-scope words

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("facts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("statements", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
    with op.batch_alter_table("entities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("names", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
    with op.batch_alter_table("lexicon_terms", schema=None) as batch_op:
        batch_op.add_column(sa.Column("role", sa.String(length=20), nullable=False, server_default="term"))


def downgrade() -> None:
    with op.batch_alter_table("lexicon_terms", schema=None) as batch_op:
        batch_op.drop_column("role")
    with op.batch_alter_table("entities", schema=None) as batch_op:
        batch_op.drop_column("names")
    with op.batch_alter_table("facts", schema=None) as batch_op:
        batch_op.drop_column("statements")
