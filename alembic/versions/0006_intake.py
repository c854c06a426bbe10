"""Intake and matching: every preferred date of a need; plain-text search keys of volunteers

Revision ID: 0006_intake
Revises: 0004_volunteer_profile
Create Date: 2026-12-01 18:50:00
"""
import json
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from heurecivique_app.domain.availability import skills_key, slots_key

revision: str = '0006_intake'
down_revision: str | None = '0004_volunteer_profile'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _decoded(value):
    return json.loads(value) if isinstance(value, str) else value


def upgrade() -> None:
    with op.batch_alter_table('mission', schema=None) as batch_op:
        batch_op.add_column(sa.Column('preferred_starts', sa.JSON(), server_default='[]',
                                      nullable=False))
    with op.batch_alter_table('volunteer_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('skills_key', sqlmodel.sql.sqltypes.AutoString(length=400),
                                      server_default='', nullable=False))
        batch_op.add_column(sa.Column('slots_key', sqlmodel.sql.sqltypes.AutoString(length=400),
                                      server_default='', nullable=False))
    # Existing volunteers get their keys from their JSON (new writes: the mapper event).
    bind = op.get_bind()
    profiles = sa.table('volunteer_profile', sa.column('user_id', sa.Integer),
                        sa.column('skills', sa.JSON), sa.column('availability', sa.JSON),
                        sa.column('skills_key', sa.String), sa.column('slots_key', sa.String))
    for user_id, skills, availability in bind.execute(
            sa.select(profiles.c.user_id, profiles.c.skills, profiles.c.availability)).all():
        bind.execute(profiles.update().where(profiles.c.user_id == user_id).values(
            skills_key=skills_key(_decoded(skills) or []),
            slots_key=slots_key(_decoded(availability) or {})))


def downgrade() -> None:
    with op.batch_alter_table('volunteer_profile', schema=None) as batch_op:
        batch_op.drop_column('slots_key')
        batch_op.drop_column('skills_key')
    with op.batch_alter_table('mission', schema=None) as batch_op:
        batch_op.drop_column('preferred_starts')
