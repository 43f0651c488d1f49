"""core schema: events, agenda, sessions, registrations, choices

Revision ID: 0001_core_schema
Revises: (none)
Create Date: 2026-11-28 12:14:44.115077

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001_core_schema'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('edition', sa.Integer(), nullable=True),
    sa.Column('title_nl', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('intro_nl', sa.Text(), nullable=False),
    sa.Column('intro_en', sa.Text(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('venue', sa.String(length=200), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('seats_taken', sa.Integer(), nullable=False),
    sa.Column('registration_opens_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('registration_closes_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('capacity >= 0', name=op.f('ck_event_capacity_not_negative')),
    sa.CheckConstraint('registration_closes_at > registration_opens_at', name=op.f('ck_event_registration_window_order')),
    sa.CheckConstraint('seats_taken >= 0', name=op.f('ck_event_seats_taken_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event')),
    sa.UniqueConstraint('slug', name=op.f('uq_event_slug'))
    )
    op.create_table('agenda_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.Time(), nullable=False),
    sa.Column('ends_at', sa.Time(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title_nl', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.CheckConstraint("kind IN ('plenary', 'choice')", name=op.f('ck_agenda_item_kind_known')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_agenda_item_ends_after_start')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_agenda_item_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_item'))
    )
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_item_event_id'), ['event_id'], unique=False)

    op.create_table('registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=200), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('manage_token', sa.String(length=64), nullable=False),
    sa.Column('ticket_code', sa.String(length=64), nullable=False),
    sa.Column('consent_version', sa.String(length=32), nullable=False),
    sa.Column('waitlisted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(status = 'waitlisted') = (waitlisted_at IS NOT NULL)", name=op.f('ck_registration_waitlisted_has_place')),
    sa.CheckConstraint("language IN ('nl', 'en')", name=op.f('ck_registration_language_known')),
    sa.CheckConstraint("status IN ('confirmed', 'waitlisted', 'cancelled')", name=op.f('ck_registration_status_known')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_registration_event_id_event'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration')),
    sa.UniqueConstraint('event_id', 'email', name=op.f('uq_registration_event_id_email')),
    sa.UniqueConstraint('manage_token', name=op.f('uq_registration_manage_token')),
    sa.UniqueConstraint('ticket_code', name=op.f('uq_registration_ticket_code'))
    )
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_event_id'), ['event_id'], unique=False)

    op.create_table('session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title_nl', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('description_nl', sa.Text(), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('room', sa.String(length=100), nullable=False),
    sa.Column('host_organisation', sa.String(length=200), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('seats_taken', sa.Integer(), nullable=False),
    sa.CheckConstraint('capacity >= 0', name=op.f('ck_session_capacity_not_negative')),
    sa.CheckConstraint('seats_taken >= 0', name=op.f('ck_session_seats_taken_not_negative')),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_item.id'], name=op.f('fk_session_agenda_item_id_agenda_item'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session')),
    sa.UniqueConstraint('id', 'agenda_item_id', name='uq_session_id_agenda_item_id')
    )
    with op.batch_alter_table('session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_agenda_item_id'), ['agenda_item_id'], unique=False)

    op.create_table('choice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('waitlisted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(status = 'waitlisted') = (waitlisted_at IS NOT NULL)", name=op.f('ck_choice_waitlisted_has_place')),
    sa.CheckConstraint("status IN ('confirmed', 'waitlisted')", name=op.f('ck_choice_status_known')),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_item.id'], name=op.f('fk_choice_agenda_item_id_agenda_item'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_choice_registration_id_registration'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id', 'agenda_item_id'], ['session.id', 'session.agenda_item_id'], name='fk_choice_session_slot', ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_choice')),
    sa.UniqueConstraint('registration_id', 'agenda_item_id', 'status', name=op.f('uq_choice_registration_id_agenda_item_id_status')),
    sa.UniqueConstraint('registration_id', 'session_id', name=op.f('uq_choice_registration_id_session_id'))
    )
    with op.batch_alter_table('choice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_choice_registration_id'), ['registration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_choice_session_id'), ['session_id'], unique=False)



def downgrade():
    with op.batch_alter_table('choice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_choice_session_id'))
        batch_op.drop_index(batch_op.f('ix_choice_registration_id'))

    op.drop_table('choice')
    with op.batch_alter_table('session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_agenda_item_id'))

    op.drop_table('session')
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_event_id'))

    op.drop_table('registration')
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_item_event_id'))

    op.drop_table('agenda_item')
    op.drop_table('event')
