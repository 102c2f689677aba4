"""inbox chat queue: each received update's chat, and an index for a chat's oldest unhandled update

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch): a nullable column needs no table rebuild on SQLite.
    op.add_column("received_updates", sa.Column("chat_id", sa.BigInteger(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":  # only replicas ask by chat; SQLite writes stay as they were
        op.create_index(
            "ix_received_updates_waiting",
            "received_updates",
            ["bot_id", "chat_id", "update_id"],
            postgresql_where=sa.text("NOT handled"),
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_received_updates_waiting", table_name="received_updates")
    with op.batch_alter_table("received_updates", schema=None) as batch_op:
        batch_op.drop_column("chat_id")
