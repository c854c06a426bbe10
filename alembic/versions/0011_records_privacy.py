"""Personal data's lifecycle: retention settings, erasure register, purge runs; the
beneficiary record (notice, notes, merge, erasure marks); minors as relays; insurance

Revision ID: 0011_records_privacy
Revises: 0011_password_reset
Create Date: 2026-12-04 22:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import heurecivique_app.domain.types

revision: str = '0011_records_privacy'
down_revision: str | None = '0011_password_reset'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = heurecivique_app.domain.types.UTCDateTime
String = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        'commune_retention',
        sa.Column('commune_id', sa.Integer(), nullable=False),
        sa.Column('mission_contact_days', sa.Integer(), nullable=False),
        sa.Column('inactive_months', sa.Integer(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', UTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['commune_id'], ['commune.id']),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user.id']),
        sa.PrimaryKeyConstraint('commune_id'),
    )
    op.create_table(
        'erasure_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('commune_id', sa.Integer(), nullable=False),
        sa.Column('beneficiary_id', sa.Integer(), nullable=False),
        sa.Column('channel', String(length=16), nullable=False),
        sa.Column('received_at', UTC(timezone=True), nullable=False),
        sa.Column('done_at', UTC(timezone=True), nullable=False),
        sa.Column('done_by_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['beneficiary_id'], ['beneficiary.id']),
        sa.ForeignKeyConstraint(['commune_id'], ['commune.id']),
        sa.ForeignKeyConstraint(['done_by_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_erasure_request_commune_id'), 'erasure_request', ['commune_id'],
                    unique=False)
    op.create_table(
        'purge_run',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('ran_at', UTC(timezone=True), nullable=False),
        sa.Column('as_of', UTC(timezone=True), nullable=False),
        sa.Column('missions_purged', sa.Integer(), nullable=False),
        sa.Column('contacts_erased', sa.Integer(), nullable=False),
        sa.Column('beneficiaries_pseudonymised', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table(
        'parental_consent',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('parent_name', String(length=120), nullable=False),
        sa.Column('method', String(length=16), nullable=False),
        sa.Column('given_on', sa.Date(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=False),
        sa.Column('recorded_at', UTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id']),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('user_id'),
    )
    # Plain ADD COLUMNs (see 0010: a batch would rebuild tables others point at).
    op.add_column('user', sa.Column('birth_date', sa.Date(), nullable=True))
    op.add_column('volunteer_profile', sa.Column('insurance_version', String(length=20),
                                                 nullable=False, server_default=''))
    op.add_column('volunteer_profile', sa.Column('insurance_accepted_at', UTC(timezone=True),
                                                 nullable=True))
    op.add_column('mission', sa.Column('insurance_version', String(length=20),
                                       nullable=False, server_default=''))
    op.add_column('mission', sa.Column('purged_at', UTC(timezone=True), nullable=True))
    op.add_column('beneficiary', sa.Column('notice_version', String(length=20),
                                           nullable=False, server_default=''))
    op.add_column('beneficiary', sa.Column('notes', String(length=2000), nullable=False,
                                           server_default=''))
    op.add_column('beneficiary', sa.Column('contact_erased_at', UTC(timezone=True),
                                           nullable=True))
    op.add_column('beneficiary', sa.Column('pseudonymised_at', UTC(timezone=True),
                                           nullable=True))
    op.add_column('beneficiary', sa.Column('updated_at', UTC(timezone=True), nullable=True))
    # Plain integers, no foreign keys: a batch (the only way to add one on SQLite)
    # would rebuild "beneficiary", which missions point at.
    op.add_column('beneficiary', sa.Column('consent_by_id', sa.Integer(), nullable=True))
    op.add_column('beneficiary', sa.Column('merged_into_id', sa.Integer(), nullable=True))

def downgrade() -> None:
    for column in ('merged_into_id', 'consent_by_id', 'updated_at', 'pseudonymised_at', 'contact_erased_at', 'notes',
                   'notice_version'):
        op.drop_column('beneficiary', column)
    op.drop_column('mission', 'purged_at')
    op.drop_column('mission', 'insurance_version')
    op.drop_column('volunteer_profile', 'insurance_accepted_at')
    op.drop_column('volunteer_profile', 'insurance_version')
    op.drop_column('user', 'birth_date')
    op.drop_table('parental_consent')
    op.drop_table('purge_run')
    op.drop_index(op.f('ix_erasure_request_commune_id'), table_name='erasure_request')
    op.drop_table('erasure_request')
    op.drop_table('commune_retention')
