"""The name as a Dutch list sorts it, stored for the people list's pages (issue 35)

Revision ID: 0028_sort_names
Revises: 0027_device_pairing
Create Date: 2026-12-02 21:15:00

`sort_name` holds eventapp.registration.names.sort_key(name): the surname without its tussenvoegsel, then the
first name, folded ("Denise van der Plaat" under P). Existing registrations get it here; erased ones stay empty.
Going back drops the column and its index.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0028_sort_names'
down_revision = '0027_device_pairing'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sort_name', sa.String(length=400), server_default='', nullable=False))
        batch_op.create_index('ix_registration_event_id_sort_name', ['event_id', 'sort_name', 'id'], unique=False)

    # Filled with the app's own rule (a pure function), as 0004 filled the search text.
    from eventapp.registration.names import sort_key

    registration = sa.table('registration', sa.column('id'), sa.column('name'), sa.column('anonymised_at'),
                            sa.column('sort_name'))
    connection = op.get_bind()
    rows = connection.execute(sa.select(registration.c.id, registration.c.name)
                              .where(registration.c.anonymised_at.is_(None))).all()
    for row in rows:
        connection.execute(registration.update().where(registration.c.id == row.id)
                           .values(sort_name=sort_key(row.name)))


def downgrade():
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_index('ix_registration_event_id_sort_name')
        batch_op.drop_column('sort_name')
