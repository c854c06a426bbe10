"""Summary tables of the evaluation figures, kept on write (services/stats_upkeep.py)

They start empty and unused: ``python -m heurecivique_app.manage migrate`` builds
them from the raw rows (``stats_upkeep.ensure``), after which every commit keeps
them. Until then the dashboards read the raw rows, as before.

Revision ID: 0015_stats_summary
Revises: 0020_commune_onboarding
Create Date: 2026-12-05 01:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa

import heurecivique_app.domain.types
from alembic import op

revision: str = '0015_stats_summary'
down_revision: str | None = '0020_commune_onboarding'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Stored in key order on SQLite: a commune's months are one sweep of the table.
CLUSTERED = {"sqlite_with_rowid": False}


def _key(*names: str) -> list[sa.Column]:
    """The bucket's key columns, then the others."""
    columns = {"kind": sa.String(length=16), "commune_id": sa.Integer(),
               "month": sa.String(length=7), "category": sa.String(length=32),
               "channel": sa.String(length=16), "mission_id": sa.Integer(),
               "volunteer_id": sa.Integer(), "measure": sa.String(length=16)}
    return [sa.Column(name, columns[name], nullable=False) for name in names]


def _counts(*names: str) -> list[sa.Column]:
    return [sa.Column(name, sa.Integer(), nullable=False) for name in names]


def upgrade() -> None:
    # A commune's missions created in a month: the bucket recomputed at each change.
    op.create_index('ix_mission_commune_created', 'mission', ['commune_id', 'created_at'])
    op.create_table(
        'stats_summary_state',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('timezone', sa.String(length=64), nullable=False),
        sa.Column('built_at', heurecivique_app.domain.types.UTCDateTime(timezone=True),
                  nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table('stats_bucket', *_key('kind', 'commune_id', 'month'), *_counts('version'),
                    sa.PrimaryKeyConstraint('kind', 'commune_id', 'month'), **CLUSTERED)
    op.create_table(
        'stats_mission_month', *_key('commune_id', 'month', 'category', 'channel'),
        *_counts('created', 'filled', 'done', 'cancelled', 'expired', 'checked', 'present',
                 'incidents', 'b1', 'b2', 'b3', 'b4', 'b5', 'v1', 'v2', 'v3', 'v4', 'v5'),
        sa.PrimaryKeyConstraint('commune_id', 'month', 'category', 'channel'), **CLUSTERED)
    op.create_table(
        'stats_mission_fact', *_key('commune_id', 'month', 'mission_id'),
        sa.Column('category', sa.String(length=32), nullable=False),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('hours', sa.Float(), nullable=True),
        sa.Column('beneficiary_id', sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint('commune_id', 'month', 'mission_id'), **CLUSTERED)
    op.create_table('stats_minutes', *_key('commune_id', 'month', 'category'),
                    *_counts('minutes'),
                    sa.PrimaryKeyConstraint('commune_id', 'month', 'category'), **CLUSTERED)
    op.create_table('stats_giver', *_key('commune_id', 'month', 'category', 'volunteer_id'),
                    *_counts('minutes'),
                    sa.PrimaryKeyConstraint('commune_id', 'month', 'category', 'volunteer_id'),
                    **CLUSTERED)
    op.create_table('stats_people', *_key('commune_id', 'month', 'measure'),
                    *_counts('volunteers'),
                    sa.PrimaryKeyConstraint('commune_id', 'month', 'measure'), **CLUSTERED)


def downgrade() -> None:
    op.drop_index('ix_mission_commune_created', table_name='mission')
    for name in ('stats_people', 'stats_giver', 'stats_minutes', 'stats_mission_fact',
                 'stats_mission_month', 'stats_bucket', 'stats_summary_state'):
        op.drop_table(name)
