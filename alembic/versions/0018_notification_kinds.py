"""Notification kinds: opt-in alert settings and missions held for a digest

Revision ID: 0018_notification_kinds
Revises: 0019_roles_pool
Create Date: 2026-12-05 01:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import heurecivique_app.domain.types

revision: str = '0018_notification_kinds'
down_revision: str | None = '0019_roles_pool'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str) -> sa.Column:
    return sa.Column(name, heurecivique_app.domain.types.UTCDateTime(timezone=True),
                     nullable=False)


def upgrade() -> None:
    op.create_table(
        'alert_setting',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('mode', sa.String(length=10), nullable=False),
        sa.Column('nudge', sa.Boolean(), nullable=False),
        sa.Column('sent_day', sa.String(length=10), nullable=False),
        sa.Column('sent_today', sa.Integer(), nullable=False),
        _when('updated_at'),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('user_id'),
    )
    op.create_index(op.f('ix_alert_setting_mode'), 'alert_setting', ['mode'], unique=False)
    op.create_table(
        'alert_pending',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('mission_id', sa.Integer(), nullable=False),
        _when('created_at'),
        sa.ForeignKeyConstraint(['mission_id'], ['mission.id']),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('user_id', 'mission_id'),
    )


def downgrade() -> None:
    op.drop_table('alert_pending')
    op.drop_index(op.f('ix_alert_setting_mode'), table_name='alert_setting')
    op.drop_table('alert_setting')
