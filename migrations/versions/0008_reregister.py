"""one live registration per address: cancelled ones stay as history beside a new one

Revision ID: 0008_reregister
Revises: 0007_anonymised
Create Date: 2026-11-29 04:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_reregister'
down_revision = '0007_anonymised'
branch_labels = None
depends_on = None

LIVE = sa.text("status <> 'cancelled'")


def upgrade():
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_constraint('uq_registration_event_id_email', type_='unique')
        batch_op.create_index('ix_registration_event_id_email', ['event_id', 'email'], unique=False)
        batch_op.create_index(
            'uq_registration_event_id_email_live',
            ['event_id', 'email'],
            unique=True,
            sqlite_where=LIVE,
            postgresql_where=LIVE,
        )


# The cancelled rows that have a live registration of the same address beside them.
SUPERSEDED = (
    "SELECT id FROM registration WHERE status = 'cancelled' AND EXISTS ("
    " SELECT 1 FROM registration AS live WHERE live.event_id = registration.event_id"
    " AND live.email = registration.email AND live.id <> registration.id AND live.status <> 'cancelled')"
)


def downgrade():
    # Only one row per address can stay: the cancelled history rows beside a live one go, with
    # what refers to them (done here: on SQLite the migration runs with foreign keys off).
    for table in ('choice', 'check_in', 'session_attendance'):
        op.execute(f"DELETE FROM {table} WHERE registration_id IN ({SUPERSEDED})")
    for table in ('scan', 'outgoing_mail', 'audit_entry'):
        op.execute(f"UPDATE {table} SET registration_id = NULL WHERE registration_id IN ({SUPERSEDED})")
    op.execute(f"DELETE FROM registration WHERE id IN ({SUPERSEDED})")
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_index('uq_registration_event_id_email_live')
        batch_op.drop_index('ix_registration_event_id_email')
        batch_op.create_unique_constraint('uq_registration_event_id_email', ['event_id', 'email'])
