"""geography: private exact point, public area radius, nearby index

Revision ID: 0002_geography
Revises: 0001
"""
from collections.abc import Sequence
import math

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0002_geography'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CELL_DEGREES = 0.01  # domain.geo.CELL_DEGREES at the time of writing


def upgrade() -> None:
    with op.batch_alter_table('mission', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approx_radius_m', sa.Integer(), nullable=False,
                                      server_default='250'))
        batch_op.add_column(sa.Column('geo_cell', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('exact_lat', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('exact_lon', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('geo_source', sqlmodel.sql.sqltypes.AutoString(length=16),
                                      nullable=False, server_default='neighbourhood'))
    # Existing missions stand on their neighbourhood's centre (geo_source stays
    # "neighbourhood"): their band, and an area as wide as the neighbourhood, since
    # a 250 m circle there would claim a precision nobody has.
    bind = op.get_bind()
    mission = sa.table('mission', sa.column('id', sa.Integer), sa.column('approx_lat', sa.Float),
                       sa.column('geo_cell', sa.Integer), sa.column('approx_radius_m', sa.Integer),
                       sa.column('neighbourhood_id', sa.Integer))
    hood = sa.table('neighbourhood', sa.column('id', sa.Integer),
                    sa.column('radius_m', sa.Integer))
    rows = bind.execute(sa.select(mission.c.id, mission.c.approx_lat, hood.c.radius_m)
                        .join(hood, hood.c.id == mission.c.neighbourhood_id)).all()
    for mission_id, lat, radius in rows:
        bind.execute(sa.update(mission).where(mission.c.id == mission_id)
                     .values(geo_cell=math.floor(lat / CELL_DEGREES),
                             approx_radius_m=max(250, int(radius))))
    with op.batch_alter_table('mission', schema=None) as batch_op:
        batch_op.create_index('ix_mission_nearby', ['status', 'geo_cell', 'approx_lon',
                                                    'approx_lat', 'commune_id', 'id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('mission', schema=None) as batch_op:
        batch_op.drop_index('ix_mission_nearby')
        batch_op.drop_column('geo_source')
        batch_op.drop_column('exact_lon')
        batch_op.drop_column('exact_lat')
        batch_op.drop_column('geo_cell')
        batch_op.drop_column('approx_radius_m')
