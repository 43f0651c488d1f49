"""The event's phase (when it was published, when its people's data were purged); statements and mails as issued

Revision ID: 0018_phases
Revises: 0017_after_the_day
Create Date: 2026-12-02 01:40:00

Existing events count as published when they were created; those whose people were all anonymised already
count as anonymised (at the latest anonymisation). Statements issued before keep no snapshot until they are
next shown: then what they say is frozen (statements.services.take_snapshot).
"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0018_phases'
down_revision = '0017_after_the_day'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE event SET published_at = created_at")
    op.execute(
        "UPDATE event SET anonymised_at = (SELECT MAX(r.anonymised_at) FROM registration r WHERE r.event_id = event.id)"
        " WHERE EXISTS (SELECT 1 FROM registration r WHERE r.event_id = event.id)"
        " AND NOT EXISTS (SELECT 1 FROM registration r WHERE r.event_id = event.id AND r.anonymised_at IS NULL)"
    )
    with op.batch_alter_table('attendance_statement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('snapshot', sa.JSON(), nullable=True))
    op.create_table(
        'replaced_statement_code',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=32), nullable=False),
        sa.Column('replaced_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_replaced_statement_code_registration_id_registration'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_replaced_statement_code')),
        sa.UniqueConstraint('code', name=op.f('uq_replaced_statement_code_code')),
    )
    op.create_index(op.f('ix_replaced_statement_code_registration_id'), 'replaced_statement_code', ['registration_id'], unique=False)
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mime', sa.LargeBinary(), nullable=True))


def downgrade():
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.drop_column('mime')
    op.drop_index(op.f('ix_replaced_statement_code_registration_id'), table_name='replaced_statement_code')
    op.drop_table('replaced_statement_code')
    with op.batch_alter_table('attendance_statement', schema=None) as batch_op:
        batch_op.drop_column('snapshot')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')
        batch_op.drop_column('published_at')
