"""routing backlog: items whose routing waits until after the ingest commit (FEED_ROUTING)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03 07:15:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('routing_backlog',
    sa.Column('item_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_routing_backlog_item_id_items'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', name=op.f('pk_routing_backlog'))
    )


def downgrade():
    op.drop_table('routing_backlog')
