"""Personal staff accounts by invitation: the organiser's invitations, kept as the hash of their link (issue 30)

Revision ID: 0024_staff_invitations
Revises: 0023_consent_contacts
Create Date: 2026-12-02 20:22:12

An invitation is open for 7 days and used once; `ended_as` says whether it was accepted, withdrawn or replaced by
a newer one to the same address. Going back drops the invitations (accounts made with them stay).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024_staff_invitations'
down_revision = '0023_consent_contacts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'staff_invitation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('role', sa.String(length=16), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('invited_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('ended_as', sa.String(length=16), nullable=True),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("ended_as IS NULL OR ended_as IN ('accepted', 'withdrawn', 'replaced')", name=op.f('ck_staff_invitation_ended_as_known')),
        sa.CheckConstraint("role IN ('desk', 'organiser')", name=op.f('ck_staff_invitation_role_known')),
        sa.ForeignKeyConstraint(['invited_by_id'], ['staff_user.id'], name=op.f('fk_staff_invitation_invited_by_id_staff_user'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['staff_user.id'], name=op.f('fk_staff_invitation_user_id_staff_user'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_invitation')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_staff_invitation_token_hash')),
    )
    with op.batch_alter_table('staff_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_invitation_email'), ['email'], unique=False)


def downgrade():
    with op.batch_alter_table('staff_invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_invitation_email'))
    op.drop_table('staff_invitation')
