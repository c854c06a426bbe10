"""Due work (the job table: deliveries and scheduled jobs) and notification opt-outs

Revision ID: 0009_jobs
Revises: 0008_login_throttle
Create Date: 2026-12-04 19:45:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import heurecivique_app.domain.types

revision: str = '0009_jobs'
down_revision: str | None = '0008_login_throttle'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = heurecivique_app.domain.types.UTCDateTime
String = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        'job',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', String(length=40), nullable=False),
        sa.Column('key', String(length=200), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('status', String(length=10), nullable=False),
        sa.Column('due_at', UTC(timezone=True), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('locked_by', String(length=64), nullable=True),
        sa.Column('locked_until', UTC(timezone=True), nullable=True),
        sa.Column('last_error', String(length=500), nullable=False),
        sa.Column('created_at', UTC(timezone=True), nullable=False),
        sa.Column('finished_at', UTC(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('key'),
    )
    op.create_index('ix_job_due', 'job', ['status', 'due_at'], unique=False)
    op.create_index('ix_job_user', 'job', ['user_id', 'status'], unique=False)
    op.create_table(
        'notification_optout',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', String(length=32), nullable=False),
        sa.Column('channel', String(length=16), nullable=False),
        sa.Column('created_at', UTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('user_id', 'kind', 'channel'),
    )


def downgrade() -> None:
    op.drop_table('notification_optout')
    op.drop_index('ix_job_user', table_name='job')
    op.drop_index('ix_job_due', table_name='job')
    op.drop_table('job')
