"""Why a statement was revoked, and codes revoked before a new statement followed (issue 31: undo revokes)

Revision ID: 0022_statement_revocations
Revises: 0021_smtp_status
Create Date: 2026-12-02 17:00:00

Statements revoked before now keep no reason: they read as an organiser's revocation, which stands.
Going back forgets the reason and the revoked codes (they then verify as unknown).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022_statement_revocations'
down_revision = "0021_smtp_status"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attendance_statement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revoked_because', sa.String(length=32), nullable=True))
    with op.batch_alter_table('replaced_statement_code', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revoked', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    op.execute("DELETE FROM replaced_statement_code WHERE revoked")
    with op.batch_alter_table('replaced_statement_code', schema=None) as batch_op:
        batch_op.drop_column('revoked')
    with op.batch_alter_table('attendance_statement', schema=None) as batch_op:
        batch_op.drop_column('revoked_because')
