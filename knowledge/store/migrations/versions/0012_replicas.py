"""replicas: follow-up context in the database, which replica took each received update

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "follow_up_contexts",
        sa.Column("bot_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("decision", sa.JSON(), nullable=False),
        sa.Column("remembered_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("bot_id", "chat_id", "user_id", name=op.f("pk_follow_up_contexts")),
    )
    op.create_index(op.f("ix_follow_up_contexts_remembered_at"), "follow_up_contexts", ["remembered_at"], unique=False)
    op.create_table(
        "replicas",
        sa.Column("bot_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("bot_id", "name", name=op.f("pk_replicas")),
    )
    with op.batch_alter_table("received_updates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("taken_by", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("received_updates", schema=None) as batch_op:
        batch_op.drop_column("taken_by")
    op.drop_table("replicas")
    op.drop_index(op.f("ix_follow_up_contexts_remembered_at"), table_name="follow_up_contexts")
    op.drop_table("follow_up_contexts")
