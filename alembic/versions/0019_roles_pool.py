"""Roles and the département pool: the commune a coordinator works on, volunteers who help
in the département's other communes

Revision ID: 0019_roles_pool
Revises: 0015_stats_summary
Create Date: 2026-12-05 01:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0019_roles_pool'
down_revision: str | None = '0015_stats_summary'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMNs, not batches (see 0010): on SQLite a batch rebuilds the table.
    # No foreign key on user_session.commune_id: SQLite cannot add one to an existing
    # table, and services.actor.actor_of checks the commune on every read anyway.
    op.add_column('user_session', sa.Column('commune_id', sa.Integer(), nullable=True))
    op.add_column('volunteer_profile', sa.Column('departement_pool', sa.Boolean(),
                                                 nullable=False, server_default=sa.false()))


def downgrade() -> None:
    op.drop_column('volunteer_profile', 'departement_pool')
    op.drop_column('user_session', 'commune_id')
