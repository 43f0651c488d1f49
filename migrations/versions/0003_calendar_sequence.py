"""registration.calendar_sequence for calendar updates; outgoing_mail status superseded

Revision ID: 0003_calendar_sequence
Revises: 0002_outbox_newsletter_wish
Create Date: 2026-11-28 12:43:14.323323

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_calendar_sequence'
down_revision = '0002_outbox_newsletter_wish'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar_sequence', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_outgoing_mail_status_known'), type_='check')
        batch_op.create_check_constraint('status_known', "status IN ('pending', 'sent', 'failed', 'superseded')")


def downgrade():
    op.execute("UPDATE outgoing_mail SET status = 'failed' WHERE status = 'superseded'")
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_outgoing_mail_status_known'), type_='check')
        batch_op.create_check_constraint('status_known', "status IN ('pending', 'sent', 'failed')")
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_column('calendar_sequence')

