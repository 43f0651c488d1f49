"""scan ids unique per scanner (device token or staff user), not across every device

Revision ID: 0010_scan_scope
Revises: 0009_staff_tokens_sessions
Create Date: 2026-11-29 04:20:00

A scan id was one namespace for every device: another device sending a known scan id with a
made-up code was answered with the first device's person. Existing scans get the scanner that
made them (their device, else their user); the old global uniqueness implies the new one, so no
row is in the way.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_scan_scope'
down_revision = '0009_staff_tokens_sessions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('scan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scanner', sa.String(length=40), nullable=False, server_default=''))
    op.execute(
        "UPDATE scan SET scanner = CASE"
        " WHEN device_id IS NOT NULL THEN 'device:' || CAST(device_id AS VARCHAR)"
        " WHEN user_id IS NOT NULL THEN 'user:' || CAST(user_id AS VARCHAR)"
        " ELSE '' END"
    )
    with op.batch_alter_table('scan', schema=None) as batch_op:
        batch_op.alter_column('scanner', server_default=None)
        batch_op.drop_constraint(batch_op.f('uq_scan_client_scan_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_scan_scanner_client_scan_id'), ['scanner', 'client_scan_id'])


def downgrade():
    # One scan id may now be in use by several scanners; all but the first lose it (they stay as
    # scans, only no longer idempotent), so the global uniqueness can come back.
    op.execute(
        "UPDATE scan SET client_scan_id = NULL WHERE client_scan_id IS NOT NULL AND id NOT IN"
        " (SELECT MIN(id) FROM scan WHERE client_scan_id IS NOT NULL GROUP BY client_scan_id)"
    )
    with op.batch_alter_table('scan', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_scan_scanner_client_scan_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_scan_client_scan_id'), ['client_scan_id'])
        batch_op.drop_column('scanner')
