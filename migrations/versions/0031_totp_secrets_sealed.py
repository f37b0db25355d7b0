"""second-factor secrets sealed at rest: ``users.totp_secret`` holds ``f1:<Fernet token>`` under a
key derived from the secret key (models/sealed.py); the column widens to hold it and every plain
secret is sealed here, each read back before the commit

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07 05:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None

_users = sa.table('users', sa.column('id', sa.Integer), sa.column('totp_secret', sa.String))


def upgrade():
    from models.sealed import PREFIX, opens_with_current_key, seal

    bind = op.get_bind()
    if bind.dialect.name != 'sqlite':  # SQLite keeps any length: no table rebuilt for it
        op.alter_column('users', 'totp_secret', existing_type=sa.String(length=64), type_=sa.String(length=255))
    rows = bind.execute(sa.select(_users.c.id, _users.c.totp_secret).where(_users.c.totp_secret.isnot(None))).all()
    for user_id, stored in rows:
        if stored.startswith(PREFIX):
            continue
        sealed = seal(stored)
        if opens_with_current_key(sealed) != stored:  # never a lost second factor
            raise RuntimeError(f"user {user_id}: the sealed second-factor secret does not read back")
        bind.execute(_users.update().where(_users.c.id == user_id).values(totp_secret=sealed))


def downgrade():
    """Back to plain secrets: every sealed one must open with the current key (or the previous)."""
    from models.sealed import PREFIX, is_unreadable, unseal

    bind = op.get_bind()
    rows = bind.execute(sa.select(_users.c.id, _users.c.totp_secret).where(_users.c.totp_secret.isnot(None))).all()
    for user_id, stored in rows:
        if not stored.startswith(PREFIX):
            continue
        plain = unseal(stored)
        if is_unreadable(plain):
            raise RuntimeError(f"user {user_id}: no key opens the second-factor secret; reset it first")
        bind.execute(_users.update().where(_users.c.id == user_id).values(totp_secret=plain))
    if bind.dialect.name != 'sqlite':
        op.alter_column('users', 'totp_secret', existing_type=sa.String(length=255), type_=sa.String(length=64))
