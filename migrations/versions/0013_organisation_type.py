"""registration.organisation_type: the kind of organisation, counted in each session's chain mix

Revision ID: 0013_organisation_type
Revises: 0012_venue_address_contact
Create Date: 2026-11-29 08:45:00

Registrations made before the question was asked read 'other' until the person (or an organiser)
picks their kind on the personal page.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_organisation_type'
down_revision = '0012_venue_address_contact'
branch_labels = None
depends_on = None

KINDS = (
    'municipality', 'police', 'public_prosecution', 'child_protection', 'youth_care', 'youth_protection',
    'education', 'halt', 'probation', 'social_domain', 'other',
)


def upgrade():
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('organisation_type', sa.String(length=32), nullable=False, server_default='other')
        )
        batch_op.create_check_constraint(
            'organisation_type_known', 'organisation_type IN (' + ', '.join(f"'{kind}'" for kind in KINDS) + ')'
        )


def downgrade():
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_registration_organisation_type_known'), type_='check')
        batch_op.drop_column('organisation_type')
