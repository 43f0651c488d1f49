"""the venue and the rooms in English beside Dutch: event.venue_en, session.room_en

Revision ID: 0011_places_in_english
Revises: 0010_scan_scope
Create Date: 2026-11-29 07:15:00

`venue` and `room` keep the Dutch text; an empty English text reads as the Dutch one, so existing
days show as before until someone adds the English.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_places_in_english'
down_revision = '0010_scan_scope'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('venue_en', sa.String(length=200), nullable=False, server_default=''))
    with op.batch_alter_table('session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('room_en', sa.String(length=100), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('session', schema=None) as batch_op:
        batch_op.drop_column('room_en')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('venue_en')
