"""newsletter subscribers with proof of consent

Revision ID: 0006_newsletter
Revises: 0005_audit_log
Create Date: 2026-11-28 13:25:03.305245

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_newsletter'
down_revision = '0005_audit_log'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('subscriber',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('consent_version', sa.String(length=32), nullable=False),
    sa.Column('consented_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('unsubscribed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('unsubscribe_token', sa.String(length=64), nullable=False),
    sa.CheckConstraint("language IN ('nl', 'en')", name=op.f('ck_subscriber_language_known')),
    sa.CheckConstraint("status IN ('pending', 'confirmed', 'unsubscribed')", name=op.f('ck_subscriber_status_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subscriber')),
    sa.UniqueConstraint('email', name=op.f('uq_subscriber_email')),
    sa.UniqueConstraint('unsubscribe_token', name=op.f('uq_subscriber_unsubscribe_token'))
    )


def downgrade():
    op.drop_table('subscriber')
