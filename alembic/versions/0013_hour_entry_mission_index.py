"""An index on hour_entry.mission_id: the evaluation figures read a period's missions' hours

Revision ID: 0013_hour_entry_mission_index
Revises: 0012_staff_invitation
Create Date: 2026-12-04 23:45:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0013_hour_entry_mission_index'
down_revision: str | None = '0012_staff_invitation'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(op.f('ix_hour_entry_mission_id'), 'hour_entry', ['mission_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_hour_entry_mission_id'), table_name='hour_entry')
