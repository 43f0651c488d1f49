"""The session seats held when the day began (issue 29): where doors are not scanned, they say who attended

Revision ID: 0031_day_seats
Revises: 0030_mail_texts
Create Date: 2026-12-04 19:00:00

Events whose day has passed keep no seats written down: for them the choices still say who attended, as before.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0031_day_seats'
down_revision = '0030_mail_texts'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seats_frozen_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'day_seat',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('agenda_item_id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('noted_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['agenda_item_id'], ['agenda_item.id'], name=op.f('fk_day_seat_agenda_item_id_agenda_item'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['registration_id'], ['registration.id'], name=op.f('fk_day_seat_registration_id_registration'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['session_id', 'agenda_item_id'], ['session.id', 'session.agenda_item_id'],
            name='fk_day_seat_session_slot', ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_day_seat')),
        sa.UniqueConstraint('registration_id', 'agenda_item_id', name=op.f('uq_day_seat_registration_id_agenda_item_id')),
    )
    with op.batch_alter_table('day_seat', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_day_seat_registration_id'), ['registration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_day_seat_session_id'), ['session_id'], unique=False)


def downgrade():
    op.drop_table('day_seat')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('seats_frozen_at')
