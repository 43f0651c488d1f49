"""Test scans: a scan before the day that the desk confirmed as a test, kept apart from the arrivals (issue 29)

Revision ID: 0026_test_scans
Revises: 0025_claimed_registrations
Create Date: 2026-12-02 20:30:00

Every scan made so far is taken as a real one. Going back forgets the test scans (they admitted nobody).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0026_test_scans'
down_revision = '0025_claimed_registrations'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('scan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('test', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    op.execute("DELETE FROM scan WHERE test")
    with op.batch_alter_table('scan', schema=None) as batch_op:
        batch_op.drop_column('test')
