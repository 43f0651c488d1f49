"""Release of no-show seats: choice status 'released' and seated_from_door_at, when badges were printed, and when each slot's and the day's seats were released

Revision ID: 0015_release_standby
Revises: 0014_questions_hosts
Create Date: 2026-11-29 09:00:00

Nothing is released on existing days: the new moments are empty, and no choice is 'released'.
Going back turns released choices into nothing: they are deleted (their seats were already given away).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_release_standby'
down_revision = '0014_questions_hosts'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('choice', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_choice_status_known'), type_='check')
        batch_op.create_check_constraint('status_known', "status IN ('confirmed', 'waitlisted', 'released')")
        batch_op.add_column(sa.Column('seated_from_door_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('day_seats_released_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seats_released_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('day_seat_released_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('badge_printed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    op.execute("DELETE FROM choice WHERE status = 'released'")
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_column('badge_printed_at')
        batch_op.drop_column('day_seat_released_at')
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.drop_column('seats_released_at')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('day_seats_released_at')
    with op.batch_alter_table('choice', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_choice_status_known'), type_='check')
        batch_op.create_check_constraint('status_known', "status IN ('confirmed', 'waitlisted')")
        batch_op.drop_column('seated_from_door_at')
