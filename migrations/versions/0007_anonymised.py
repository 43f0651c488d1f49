"""registration.anonymised_at for erasure and retention

Revision ID: 0007_anonymised
Revises: 0006_newsletter
Create Date: 2026-11-28 13:29:10.417558

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_anonymised'
down_revision = '0006_newsletter'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True))



def downgrade():
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')

