"""Transfer to a colleague: a person's request to give their place away, kept as the hash of its link (issue 35)

Revision ID: 0029_transfers
Revises: 0028_sort_names
Create Date: 2026-12-02 21:15:00

A request is open for 48 hours and used once; `ended_as` says whether the colleague accepted it or a newer request
replaced it. Going back drops the requests (a transfer already made stays made).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0029_transfers'
down_revision = '0028_sort_names'
branch_labels = None
depends_on = None

ORGANISATION_TYPES = (
    "'municipality', 'police', 'public_prosecution', 'child_protection', 'youth_care', 'youth_protection',"
    " 'education', 'halt', 'probation', 'social_domain', 'other'"
)


def upgrade():
    op.create_table(
        'transfer_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('organisation', sa.String(length=200), nullable=False),
        sa.Column('organisation_type', sa.String(length=32), nullable=False),
        sa.Column('language', sa.String(length=2), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('ended_as', sa.String(length=16), nullable=True),
        sa.CheckConstraint("ended_as IS NULL OR ended_as IN ('accepted', 'replaced')", name=op.f('ck_transfer_request_ended_as_known')),
        sa.CheckConstraint("language IN ('nl', 'en')", name=op.f('ck_transfer_request_language_known')),
        sa.CheckConstraint(f"organisation_type IN ({ORGANISATION_TYPES})", name=op.f('ck_transfer_request_organisation_type_known')),
        sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_transfer_request_registration_id_registration'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_transfer_request')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_transfer_request_token_hash')),
    )
    with op.batch_alter_table('transfer_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transfer_request_registration_id'), ['registration_id'], unique=False)


def downgrade():
    with op.batch_alter_table('transfer_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transfer_request_registration_id'))
    op.drop_table('transfer_request')
