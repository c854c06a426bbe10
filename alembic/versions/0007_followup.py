"""Follow-up of missions by the referent; skills wanted for collective actions; console index

Revision ID: 0007_followup
Revises: 0006_intake
Create Date: 2026-12-01 18:55:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import heurecivique_app.domain.types

revision: str = '0007_followup'
down_revision: str | None = '0006_intake'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('mission', schema=None) as batch_op:
        batch_op.add_column(sa.Column('skills_wanted', sa.JSON(), server_default='[]',
                                      nullable=False))
        batch_op.create_index('ix_mission_commune_updated', ['commune_id', 'updated_at'],
                              unique=False)
    op.create_table(
        'mission_followup',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('mission_id', sa.Integer(), nullable=False),
        sa.Column('beneficiary_called', sa.Boolean(), nullable=False),
        sa.Column('went_well', sa.Boolean(), nullable=False),
        sa.Column('minutes', sa.Integer(), nullable=False),
        sa.Column('beneficiary_satisfaction', sa.Integer(), nullable=True),
        sa.Column('volunteer_satisfaction', sa.Integer(), nullable=True),
        sa.Column('incident', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', heurecivique_app.domain.types.UTCDateTime(timezone=True),
                  nullable=False),
        sa.Column('updated_at', heurecivique_app.domain.types.UTCDateTime(timezone=True),
                  nullable=False),
        sa.ForeignKeyConstraint(['mission_id'], ['mission.id']),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('mission_id'),
    )


def downgrade() -> None:
    op.drop_table('mission_followup')
    with op.batch_alter_table('mission', schema=None) as batch_op:
        batch_op.drop_index('ix_mission_commune_updated')
        batch_op.drop_column('skills_wanted')
