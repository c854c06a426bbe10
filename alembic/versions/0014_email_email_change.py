"""E-mail change: a signed-in user's new address, confirmed by a link e-mailed to it

Revision ID: 0014_email_email_change
Revises: 0013_hour_entry_mission_index
Create Date: 2026-12-05 00:05:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import heurecivique_app.domain.types

revision: str = '0014_email_email_change'
down_revision: str | None = '0013_hour_entry_mission_index'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, heurecivique_app.domain.types.UTCDateTime(timezone=True),
                     nullable=nullable)


def upgrade() -> None:
    op.create_table(
        'email_change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('new_email', sa.String(length=254), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=True),
        _when('created_at', nullable=False), _when('expires_at'), _when('used_at'),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    op.create_index(op.f('ix_email_change_user_id'), 'email_change', ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_email_change_user_id'), table_name='email_change')
    op.drop_table('email_change')
