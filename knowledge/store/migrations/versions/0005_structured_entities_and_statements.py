"""structured entities and statements: person attributes, who said what to whom

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("entities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attributes", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
    with op.batch_alter_table("facts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("relations", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))


def downgrade() -> None:
    with op.batch_alter_table("facts", schema=None) as batch_op:
        batch_op.drop_column("relations")
    with op.batch_alter_table("entities", schema=None) as batch_op:
        batch_op.drop_column("attributes")
