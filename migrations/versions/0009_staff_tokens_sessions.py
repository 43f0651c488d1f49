"""staff_user.session_token (cookies that logout can end); device_token.expires_at

Revision ID: 0009_staff_tokens_sessions
Revises: 0008_reregister
Create Date: 2026-11-29 04:10:00

Existing accounts get a random session token each, so every cookie issued before this
revision is refused once (staff log in again). Existing device tokens expire 30 days
after the upgrade: "never" is not allowed, and cutting off scanners already handed out
on the day of the upgrade would be worse than a month's grace.
"""
import datetime as dt
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_staff_tokens_sessions'
down_revision = '0008_reregister'
branch_labels = None
depends_on = None

EXISTING_DEVICE_DAYS = 30


def upgrade():
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=64), nullable=True))
    with op.batch_alter_table('device_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))

    connection = op.get_bind()
    users = sa.table('staff_user', sa.column('id', sa.Integer), sa.column('session_token', sa.String))
    for (user_id,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(
            users.update().where(users.c.id == user_id).values(session_token=secrets.token_urlsafe(32))
        )
    devices = sa.table('device_token', sa.column('expires_at', sa.DateTime(timezone=True)))
    expires = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=EXISTING_DEVICE_DAYS)
    connection.execute(devices.update().values(expires_at=expires))

    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.alter_column('session_token', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_staff_user_session_token'), ['session_token'])
    with op.batch_alter_table('device_token', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade():
    with op.batch_alter_table('device_token', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_staff_user_session_token'), type_='unique')
        batch_op.drop_column('session_token')
