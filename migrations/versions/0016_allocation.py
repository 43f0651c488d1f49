"""Session seats from ranked preferences: the event's mode and deadline, preferences, allocation runs

Revision ID: 0016_allocation
Revises: 0015_release_standby
Create Date: 2026-11-29 09:00:00

Every existing event keeps today's behaviour: 'first-come'.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_allocation'
down_revision = '0015_release_standby'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('allocation_mode', sa.String(length=16), nullable=False, server_default='first-come')
        )
        batch_op.add_column(sa.Column('preferences_deadline', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('allocated_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint('allocation_mode_known', "allocation_mode IN ('first-come', 'preferences')")
        batch_op.create_check_constraint(
            'preferences_have_deadline', "allocation_mode = 'first-come' OR preferences_deadline IS NOT NULL"
        )
    op.create_table(
        'preference',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('agenda_item_id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('rank', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('rank BETWEEN 1 AND 3', name=op.f('ck_preference_rank_known')),
        sa.ForeignKeyConstraint(
            ['agenda_item_id'], ['agenda_item.id'], name=op.f('fk_preference_agenda_item_id_agenda_item'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['registration_id'], ['registration.id'], name=op.f('fk_preference_registration_id_registration'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['session_id', 'agenda_item_id'], ['session.id', 'session.agenda_item_id'],
            name='fk_preference_session_slot', ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_preference')),
        sa.UniqueConstraint(
            'registration_id', 'agenda_item_id', 'rank',
            name=op.f('uq_preference_registration_id_agenda_item_id_rank'),
        ),
        sa.UniqueConstraint('registration_id', 'session_id', name=op.f('uq_preference_registration_id_session_id')),
    )
    with op.batch_alter_table('preference', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_preference_registration_id'), ['registration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_preference_session_id'), ['session_id'], unique=False)
    op.create_table(
        'allocation_run',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('seed', sa.Integer(), nullable=False),
        sa.Column('max_type_share', sa.Double(), nullable=False),
        sa.Column('figures', sa.JSON(), nullable=False),
        sa.Column('ran_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['event_id'], ['event.id'], name=op.f('fk_allocation_run_event_id_event'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_allocation_run')),
    )
    with op.batch_alter_table('allocation_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_allocation_run_event_id'), ['event_id'], unique=False)


def downgrade():
    with op.batch_alter_table('allocation_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_allocation_run_event_id'))
    op.drop_table('allocation_run')
    with op.batch_alter_table('preference', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_preference_session_id'))
        batch_op.drop_index(batch_op.f('ix_preference_registration_id'))
    op.drop_table('preference')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_event_preferences_have_deadline'), type_='check')
        batch_op.drop_constraint(op.f('ck_event_allocation_mode_known'), type_='check')
        batch_op.drop_column('allocated_at')
        batch_op.drop_column('preferences_deadline')
        batch_op.drop_column('allocation_mode')
