"""Forgotten passwords: single-use reset links, stored hashed

Revision ID: 0011_password_reset
Revises: 0010_email_confirmation
Create Date: 2026-12-04 23:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import heurecivique_app.domain.types

revision: str = '0011_password_reset'
down_revision: str | None = '0010_email_confirmation'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'password_reset',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', heurecivique_app.domain.types.UTCDateTime(timezone=True),
                  nullable=False),
        sa.Column('expires_at', heurecivique_app.domain.types.UTCDateTime(timezone=True),
                  nullable=False),
        sa.Column('used_at', heurecivique_app.domain.types.UTCDateTime(timezone=True),
                  nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    op.create_index(op.f('ix_password_reset_user_id'), 'password_reset', ['user_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_password_reset_user_id'), table_name='password_reset')
    op.drop_table('password_reset')
