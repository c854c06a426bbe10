"""In-app notifications: the rows of each person's notification centre (the bell)

Revision ID: 0016_in_app_notification
Revises: 0014_email_email_change
Create Date: 2026-12-05 01:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import heurecivique_app.domain.types

revision: str = '0016_in_app_notification'
down_revision: str | None = '0014_email_email_change'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, heurecivique_app.domain.types.UTCDateTime(timezone=True),
                     nullable=nullable)


def upgrade() -> None:
    op.create_table(
        'inbox_item',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('event', sa.String(length=160), nullable=False),
        sa.Column('params', sa.JSON(), nullable=False),
        _when('created_at', nullable=False), _when('read_at'),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id', 'event', name='uq_inbox_item_user_event'),
    )
    op.create_index('ix_inbox_item_user_read', 'inbox_item', ['user_id', 'read_at'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_inbox_item_user_read', table_name='inbox_item')
    op.drop_table('inbox_item')
