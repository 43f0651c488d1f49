"""event.venue_address (linked to a map on the event page) and event.contact_email for participants' questions

Revision ID: 0012_venue_address_contact
Revises: 0011_places_in_english
Create Date: 2026-11-29 07:30:00

Both are empty for existing days: the event page then shows the venue's name only, and no contact address.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_venue_address_contact'
down_revision = '0011_places_in_english'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('venue_address', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('contact_email', sa.String(length=254), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('contact_email')
        batch_op.drop_column('venue_address')
