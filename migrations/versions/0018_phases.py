"""The event's phase: when it was published, when its people's data were purged

Revision ID: 0018_phases
Revises: 0017_after_the_day
Create Date: 2026-12-02 01:40:00

Existing events count as published when they were created; those whose people were all anonymised already
count as anonymised (at the latest anonymisation).
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


def downgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')
        batch_op.drop_column('published_at')
