"""Web push: browsers' subscriptions and the site's VAPID key pair

Revision ID: 0017_web_push
Revises: 0016_in_app_notification
Create Date: 2026-12-05 01:10:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import heurecivique_app.domain.types

revision: str = '0017_web_push'
down_revision: str | None = '0016_in_app_notification'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, heurecivique_app.domain.types.UTCDateTime(timezone=True),
                     nullable=nullable)


def upgrade() -> None:
    op.create_table(
        'push_subscription',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('endpoint', sa.String(length=1000), nullable=False),
        sa.Column('p256dh', sa.String(length=100), nullable=False),
        sa.Column('auth', sa.String(length=40), nullable=False),
        _when('created_at', nullable=False), _when('last_success_at'), _when('last_failure_at'),
        sa.Column('last_error', sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('endpoint'),
    )
    op.create_index(op.f('ix_push_subscription_user_id'), 'push_subscription', ['user_id'],
                    unique=False)
    op.create_table(
        'push_vapid_key',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('private_key', sa.Text(), nullable=False),
        sa.Column('public_key', sa.String(length=100), nullable=False),
        _when('created_at', nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )


def downgrade() -> None:
    op.drop_table('push_vapid_key')
    op.drop_index(op.f('ix_push_subscription_user_id'), table_name='push_subscription')
    op.drop_table('push_subscription')
