"""follow-up context in the database, shared by replicas

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0012'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('follow_up_contexts',
    sa.Column('bot_id', sa.BigInteger(), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('decision', sa.JSON(), nullable=False),
    sa.Column('remembered_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('bot_id', 'chat_id', 'user_id', name=op.f('pk_follow_up_contexts'))
    )
    op.create_index(op.f('ix_follow_up_contexts_remembered_at'), 'follow_up_contexts', ['remembered_at'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_follow_up_contexts_remembered_at'), table_name='follow_up_contexts')
    op.drop_table('follow_up_contexts')
