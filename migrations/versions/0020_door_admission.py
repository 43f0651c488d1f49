"""Door admission: verdicts 'waitlisted_here' and 'no_seat', standing per session, over-capacity admissions (issue 31)

Revision ID: 0020_door_admission
Revises: 0019_staff_sessions
Create Date: 2026-12-02 07:00:00

No session allows standing until its organiser says so, and no past admission was over capacity.
Going back forgets the new verdicts' scans (they admitted nobody) and the two flags.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020_door_admission'
down_revision = '0019_staff_sessions'
branch_labels = None
depends_on = None

OUTCOMES = "'ok', 'already_checked_in', 'invalid', 'cancelled', 'wrong_room'"


def upgrade():
    with op.batch_alter_table('scan', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_scan_outcome_known'), type_='check')
        batch_op.create_check_constraint('outcome_known', f"outcome IN ({OUTCOMES}, 'waitlisted_here', 'no_seat')")
    with op.batch_alter_table('session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('standing_allowed', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('session_attendance', schema=None) as batch_op:
        batch_op.add_column(sa.Column('over_capacity', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    op.execute("DELETE FROM scan WHERE outcome IN ('waitlisted_here', 'no_seat')")
    with op.batch_alter_table('session_attendance', schema=None) as batch_op:
        batch_op.drop_column('over_capacity')
    with op.batch_alter_table('session', schema=None) as batch_op:
        batch_op.drop_column('standing_allowed')
    with op.batch_alter_table('scan', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_scan_outcome_known'), type_='check')
        batch_op.create_check_constraint('outcome_known', f"outcome IN ({OUTCOMES})")
