"""Volunteer profile (validation, free-text skills, private home point); participation follow-up

Revision ID: 0004_volunteer_profile
Revises: 0003_relays
Create Date: 2026-12-01 18:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import heurecivique_app.domain.types

revision: str = '0004_volunteer_profile'
down_revision: str | None = '0003_relays'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('volunteer_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('validated_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('validation_note', sqlmodel.sql.sqltypes.AutoString(length=1000), server_default='', nullable=False))
        batch_op.add_column(sa.Column('skills_note', sqlmodel.sql.sqltypes.AutoString(length=500), server_default='', nullable=False))
        batch_op.add_column(sa.Column('home_address', sqlmodel.sql.sqltypes.AutoString(length=255), server_default='', nullable=False))
        batch_op.add_column(sa.Column('home_lat', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('home_lon', sa.Float(), nullable=True))
        batch_op.create_foreign_key('fk_volunteer_profile_validated_by_id_user', 'user', ['validated_by_id'], ['id'])
    with op.batch_alter_table('participation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirmed_at', heurecivique_app.domain.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reported_minutes', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('feedback', sqlmodel.sql.sqltypes.AutoString(length=1000), server_default='', nullable=False))
        batch_op.add_column(sa.Column('problem', sqlmodel.sql.sqltypes.AutoString(length=1000), server_default='', nullable=False))
        batch_op.add_column(sa.Column('attended', sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('participation', schema=None) as batch_op:
        for column in ('attended', 'problem', 'feedback', 'reported_minutes', 'confirmed_at'):
            batch_op.drop_column(column)
    with op.batch_alter_table('volunteer_profile', schema=None) as batch_op:
        batch_op.drop_constraint('fk_volunteer_profile_validated_by_id_user', type_='foreignkey')
        batch_op.drop_column('home_lon')
        batch_op.drop_column('home_lat')
        batch_op.drop_column('home_address')
        batch_op.drop_column('skills_note')
        batch_op.drop_column('validation_note')
        batch_op.drop_column('validated_by_id')
