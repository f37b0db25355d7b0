"""web at 1,000,000 items (issue 16, item 3): the indexes the inbox, the dashboard and the menu's
badge read (measured with bench/page_queries.py, bench/README.md)

- items (published_at, id) instead of (published_at): the inbox walks the items newest first and
  stops at its page, reading the item's id from the index alone (the page order's second key);
- item_routes (status, agency_id), with is_question and received_at included on PostgreSQL: the
  menu's count of new routes and the dashboard's waiting routes per agency as index-only scans.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03 07:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index('ix_items_published_at')
        batch_op.create_index('ix_items_published_at_id', ['published_at', 'id'], unique=False)
    with op.batch_alter_table('item_routes', schema=None) as batch_op:
        batch_op.create_index('ix_item_routes_status_agency', ['status', 'agency_id'], unique=False,
                              postgresql_include=['is_question', 'received_at'])


def downgrade():
    with op.batch_alter_table('item_routes', schema=None) as batch_op:
        batch_op.drop_index('ix_item_routes_status_agency')
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index('ix_items_published_at_id')
        batch_op.create_index('ix_items_published_at', ['published_at'], unique=False)
