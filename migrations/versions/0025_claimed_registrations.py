"""Held seats must be claimed: registration.claimed_at, held_since and hold_released_at (issue 31)

Revision ID: 0025_claimed_registrations
Revises: 0024_staff_invitations
Create Date: 2026-12-02 20:30:00

Registrations made before count as claimed (at their creation): nobody was told their seat depended on opening
the link, so none of them is released. Going back forgets the claims and the released holds.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0025_claimed_registrations'
down_revision = '0024_staff_invitations'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('held_since', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('hold_released_at', sa.DateTime(timezone=True), nullable=True))
    op.execute(sa.text("UPDATE registration SET claimed_at = created_at, held_since = created_at"))


def downgrade():
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_column('hold_released_at')
        batch_op.drop_column('held_since')
        batch_op.drop_column('claimed_at')
