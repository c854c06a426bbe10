"""Login throttle counters shared by every worker

Revision ID: 0008_login_throttle
Revises: 0007_followup
Create Date: 2026-12-04 19:50:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import heurecivique_app.domain.types

revision: str = '0008_login_throttle'
down_revision: str | None = '0007_followup'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'login_throttle',
        sa.Column('key', sa.String(length=80), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('locks', sa.Integer(), nullable=False),
        sa.Column('last_failure_at', heurecivique_app.domain.types.UTCDateTime(timezone=True),
                  nullable=True),
        sa.Column('blocked_until', heurecivique_app.domain.types.UTCDateTime(timezone=True),
                  nullable=True),
        sa.Column('locked', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('key'),
    )


def downgrade() -> None:
    op.drop_table('login_throttle')
