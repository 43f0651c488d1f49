"""The SMTP server's state as the mail workers meet it, for /healthz (issue 31)

Revision ID: 0021_smtp_status
Revises: 0020_door_admission
Create Date: 2026-12-02 17:00:00

One row, written by the mail workers when the server fails or works again; no row means no worker has reported.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021_smtp_status'
down_revision = '0020_door_admission'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'smtp_status',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('failing_since', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_failure_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=False),
        sa.Column('last_sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_smtp_status')),
    )


def downgrade():
    op.drop_table('smtp_status')
