"""Device tokens for an event, and one-time pairing links that make a browser a desk device (issue 30)

Revision ID: 0027_device_pairing
Revises: 0026_test_scans
Create Date: 2026-12-02 20:30:00

Existing tokens keep their expiry and belong to no event. Going back forgets which event a token was for
and every pairing link (a link not used yet stops working).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0027_device_pairing'
down_revision = '0026_test_scans'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('device_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('event_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_device_token_event_id'), ['event_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_device_token_event_id_event'), 'event', ['event_id'], ['id'], ondelete='SET NULL'
        )
    op.create_table(
        'device_pairing',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('device_id', sa.Integer(), nullable=False),
        sa.Column('secret_hash', sa.String(length=64), nullable=False),
        sa.Column('sealed_token', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['device_id'], ['device_token.id'], name=op.f('fk_device_pairing_device_id_device_token'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_device_pairing')),
        sa.UniqueConstraint('secret_hash', name=op.f('uq_device_pairing_secret_hash')),
    )
    with op.batch_alter_table('device_pairing', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_device_pairing_device_id'), ['device_id'], unique=False)


def downgrade():
    with op.batch_alter_table('device_pairing', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_device_pairing_device_id'))
    op.drop_table('device_pairing')
    with op.batch_alter_table('device_token', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_device_token_event_id_event'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_device_token_event_id'))
        batch_op.drop_column('event_id')
