"""After the day: attendance statements, feedback per session, the edition an event was copied from

Revision ID: 0017_after_the_day
Revises: 0016_allocation
Create Date: 2026-11-29 09:00:00

Existing events have no known source edition (copied_from_id is NULL) and open feedback.
"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0017_after_the_day'
down_revision = '0016_allocation'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('copied_from_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('feedback_closed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_event_copied_from_id_event'), 'event', ['copied_from_id'], ['id'], ondelete='SET NULL'
        )
    op.create_table(
        'attendance_statement',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=32), nullable=False),
        sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('issued_by_id', sa.Integer(), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_attendance_statement_event_id_event'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['issued_by_id'], ['staff_user.id'], name=op.f('fk_attendance_statement_issued_by_id_staff_user'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_attendance_statement_registration_id_registration'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance_statement')),
        sa.UniqueConstraint('code', name=op.f('uq_attendance_statement_code')),
        sa.UniqueConstraint('registration_id', name=op.f('uq_attendance_statement_registration_id')),
    )
    op.create_index(op.f('ix_attendance_statement_event_id'), 'attendance_statement', ['event_id'], unique=False)
    op.create_table(
        'feedback_response',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('day_score', sa.Integer(), nullable=True),
        sa.Column('different', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('day_score BETWEEN 1 AND 5', name=op.f('ck_feedback_response_day_score_range')),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_feedback_response_event_id_event'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_feedback_response_registration_id_registration'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_response')),
        sa.UniqueConstraint('registration_id', name=op.f('uq_feedback_response_registration_id')),
    )
    op.create_index(op.f('ix_feedback_response_event_id'), 'feedback_response', ['event_id'], unique=False)
    op.create_table(
        'session_feedback',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('response_id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('score', sa.Integer(), nullable=True),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.CheckConstraint('score BETWEEN 1 AND 5', name=op.f('ck_session_feedback_score_range')),
        sa.ForeignKeyConstraint(['response_id'], ['feedback_response.id'], name=op.f('fk_session_feedback_response_id_feedback_response'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['session_id'], ['session.id'], name=op.f('fk_session_feedback_session_id_session'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_session_feedback')),
        sa.UniqueConstraint('response_id', 'session_id', name=op.f('uq_session_feedback_response_id_session_id')),
    )
    op.create_index(op.f('ix_session_feedback_session_id'), 'session_feedback', ['session_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_session_feedback_session_id'), table_name='session_feedback')
    op.drop_table('session_feedback')
    op.drop_index(op.f('ix_feedback_response_event_id'), table_name='feedback_response')
    op.drop_table('feedback_response')
    op.drop_index(op.f('ix_attendance_statement_event_id'), table_name='attendance_statement')
    op.drop_table('attendance_statement')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_event_copied_from_id_event'), type_='foreignkey')
        batch_op.drop_column('feedback_closed_at')
        batch_op.drop_column('copied_from_id')
