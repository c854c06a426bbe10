"""Onboarding communes: the town hall's address, public text and logo; quarters' contours

Revision ID: 0020_commune_onboarding
Revises: 0017_web_push
Create Date: 2026-12-05 01:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0020_commune_onboarding'
down_revision: str | None = '0017_web_push'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(name: str, length: int) -> sa.Column:
    return sa.Column(name, sa.String(length=length), nullable=False, server_default='')


def upgrade() -> None:
    with op.batch_alter_table('departement') as batch:
        batch.add_column(_text('contact_email', 254))
        batch.add_column(_text('join_text', 2000))
    with op.batch_alter_table('commune') as batch:
        batch.add_column(_text('town_hall_address', 255))
        batch.add_column(_text('public_text', 2000))
        batch.add_column(sa.Column('logo_name', sa.String(length=64), nullable=True))
    with op.batch_alter_table('neighbourhood') as batch:
        # GeoJSON text of the quarter's polygon: no PostGIS needed (domain/contours.py).
        batch.add_column(sa.Column('contour', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('neighbourhood') as batch:
        batch.drop_column('contour')
    with op.batch_alter_table('commune') as batch:
        batch.drop_column('logo_name')
        batch.drop_column('public_text')
        batch.drop_column('town_hall_address')
    with op.batch_alter_table('departement') as batch:
        batch.drop_column('join_text')
        batch.drop_column('contact_email')
