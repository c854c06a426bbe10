"""Intake: every preferred date of a need (matching checks availability against each)

Revision ID: 0006_intake
Revises: 0004_volunteer_profile
Create Date: 2026-12-01 18:50:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006_intake'
down_revision: str | None = '0004_volunteer_profile'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('mission', schema=None) as batch_op:
        batch_op.add_column(sa.Column('preferred_starts', sa.JSON(), server_default='[]',
                                      nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('mission', schema=None) as batch_op:
        batch_op.drop_column('preferred_starts')
