"""Consent to the named contact: which contact persons a request to be contacted names (issue 31)

Revision ID: 0023_consent_contacts
Revises: 0022_statement_revocations
Create Date: 2026-12-02 17:20:00

A request made before names the contact persons its consent sentence names (the sentence kept with it), each
handed over when the request was; a contact it does not name receives nothing until the person agrees again.
Going back forgets whom a consent named.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023_consent_contacts'
down_revision = '0022_statement_revocations'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'contact_consent',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('contact_id', sa.Integer(), nullable=False),
        sa.Column('given_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('handed_over_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['contact_id'], ['pilot_contact.id'], name=op.f('fk_contact_consent_contact_id_pilot_contact'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['request_id'], ['contact_request.id'], name=op.f('fk_contact_consent_request_id_contact_request'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_consent')),
        sa.UniqueConstraint('request_id', 'contact_id', name=op.f('uq_contact_consent_request_id_contact_id')),
    )
    with op.batch_alter_table('contact_consent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_consent_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_consent_request_id'), ['request_id'], unique=False)
    bind = op.get_bind()
    pairs = bind.execute(sa.text(
        "SELECT r.id, c.id, c.name, r.consent_text, r.created_at, r.handed_over_at FROM contact_request r"
        " JOIN pilot_contact c ON c.session_id = r.session_id"
    )).all()
    rows = [
        {"request_id": request_id, "contact_id": contact_id, "given_at": created, "handed_over_at": handed}
        for request_id, contact_id, name, sentence, created, handed in pairs
        if name and name in (sentence or "")
    ]
    if rows:
        bind.execute(sa.text(
            "INSERT INTO contact_consent (request_id, contact_id, given_at, handed_over_at)"
            " VALUES (:request_id, :contact_id, :given_at, :handed_over_at)"
        ), rows)


def downgrade():
    with op.batch_alter_table('contact_consent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_consent_request_id'))
        batch_op.drop_index(batch_op.f('ix_contact_consent_contact_id'))
    op.drop_table('contact_consent')
