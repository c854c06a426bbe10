"""E-mail confirmation of self sign-ups: single-use links, confirmed flag on users

Revision ID: 0010_email_confirmation
Revises: 0009_jobs
Create Date: 2026-12-04 21:10:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import heurecivique_app.domain.types

revision: str = '0010_email_confirmation'
down_revision: str | None = '0009_jobs'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing accounts were logged in at sign-up (the former hand-off): they stay usable.
    # A plain ADD COLUMN, not a batch: on SQLite a batch rebuilds "user", and dropping
    # the old table fails once other tables' rows point at it.
    op.add_column('user', sa.Column('email_confirmed', sa.Boolean(), nullable=False,
                                    server_default=sa.true()))
    op.create_table(
        'email_confirmation',
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
    op.create_index(op.f('ix_email_confirmation_user_id'), 'email_confirmation', ['user_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_email_confirmation_user_id'), table_name='email_confirmation')
    op.drop_table('email_confirmation')
    op.drop_column('user', 'email_confirmed')
