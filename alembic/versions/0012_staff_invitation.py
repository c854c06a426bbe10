"""Staff invitations: a commune's administrators invite referents by e-mail

Revision ID: 0012_staff_invitation
Revises: 0011_records_privacy
Create Date: 2026-12-04 23:20:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import heurecivique_app.domain.types

revision: str = '0012_staff_invitation'
down_revision: str | None = '0011_records_privacy'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, heurecivique_app.domain.types.UTCDateTime(timezone=True),
                     nullable=nullable)


def upgrade() -> None:
    op.create_table(
        'staff_invitation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('commune_id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('display_name', sa.String(length=120), nullable=False),
        sa.Column('role', sa.String(length=24), nullable=False),
        sa.Column('invited_by', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=True),
        _when('created_at', nullable=False), _when('expires_at'), _when('used_at'),
        _when('cancelled_at'),
        sa.ForeignKeyConstraint(['commune_id'], ['commune.id']),
        sa.ForeignKeyConstraint(['invited_by'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    op.create_index(op.f('ix_staff_invitation_commune_id'), 'staff_invitation', ['commune_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_staff_invitation_commune_id'), table_name='staff_invitation')
    op.drop_table('staff_invitation')
