"""each session keeps the network it was opened from (``networks.network_of`` of its address: an IPv4
address or an IPv6 /64), indexed with its user: a wave of failed logins asks whether an account
logged in from a network with one lookup, not by reading every address of the account's month

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-07 11:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0032'
down_revision = '0031'
branch_labels = None
depends_on = None

_sessions = sa.table('user_sessions', sa.column('id', sa.Integer), sa.column('address', sa.String),
                     sa.column('network', sa.String))


def upgrade():
    from app.services.networks import network_of

    with op.batch_alter_table('user_sessions') as batch_op:
        batch_op.add_column(sa.Column('network', sa.String(length=64), server_default='', nullable=False))
        batch_op.create_index('ix_user_sessions_user_id_network', ['user_id', 'network'], unique=False)
    bind = op.get_bind()
    by_address: dict[str, list[int]] = {}
    for session_id, address in bind.execute(sa.select(_sessions.c.id, _sessions.c.address)).all():
        by_address.setdefault(address or '', []).append(session_id)
    for address, ids in by_address.items():
        for start in range(0, len(ids), 500):
            bind.execute(_sessions.update().where(_sessions.c.id.in_(ids[start:start + 500]))
                         .values(network=network_of(address)))


def downgrade():
    with op.batch_alter_table('user_sessions') as batch_op:
        batch_op.drop_index('ix_user_sessions_user_id_network')
        batch_op.drop_column('network')
