"""The organiser's own words in a mail: an opening and a closing per event, kind of mail and language (issue 35)

Revision ID: 0030_mail_texts
Revises: 0029_transfers
Create Date: 2026-12-03 08:20:00

No row means the built-in words, so going back only drops the texts (mails already sent keep what they said).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0030_mail_texts'
down_revision = '0029_transfers'
branch_labels = None
depends_on = None

KINDS = (
    "'confirmation', 'waitlist', 'promotion', 'reminder', 'change', 'cancel', 'allocation', 'feedback', 'message'"
)


def upgrade():
    op.create_table(
        'mail_text',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('language', sa.String(length=2), nullable=False),
        sa.Column('opening', sa.Text(), nullable=False),
        sa.Column('closing', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"kind IN ({KINDS})", name=op.f('ck_mail_text_kind_known')),
        sa.CheckConstraint("language IN ('nl', 'en')", name=op.f('ck_mail_text_language_known')),
        sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_mail_text_event_id_event'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_text')),
        sa.UniqueConstraint('event_id', 'kind', 'language', name=op.f('uq_mail_text_event_id_kind_language')),
    )


def downgrade():
    op.drop_table('mail_text')
