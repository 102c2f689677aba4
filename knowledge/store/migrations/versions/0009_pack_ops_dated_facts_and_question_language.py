"""pack version and presentation; dated and superseding facts; the language of unanswered questions

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("packs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("presentation", sa.JSON(), nullable=True))
    with op.batch_alter_table("unanswered_questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=20), nullable=False, server_default="en"))
    with op.batch_alter_table("facts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dated", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("supersedes", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("facts", schema=None) as batch_op:
        batch_op.drop_column("supersedes")
        batch_op.drop_column("dated")
    with op.batch_alter_table("unanswered_questions", schema=None) as batch_op:
        batch_op.drop_column("language")
    with op.batch_alter_table("packs", schema=None) as batch_op:
        batch_op.drop_column("presentation")
        batch_op.drop_column("version")
