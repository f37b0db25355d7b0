"""canonical links in one spelling: a Persian slug written out or percent-encoded (in either case),
an IDN host or its ASCII form, a final dot or invisible characters around the link are one link
(app/monitor/dedupe.py canonical_link); the stored items' links and hashes computed again

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-05 15:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None

_BATCH = 2000


def upgrade():
    from app.monitor.dedupe import canonical_link, link_hash

    bind = op.get_bind()
    items = sa.table('items', sa.column('id', sa.Integer), sa.column('link', sa.Text),
                     sa.column('canonical_link', sa.Text), sa.column('link_hash', sa.String))
    last = 0
    while True:
        rows = bind.execute(sa.select(items.c.id, items.c.link, items.c.canonical_link)
                            .where(items.c.id > last).order_by(items.c.id).limit(_BATCH)).all()
        if not rows:
            break
        last = rows[-1][0]
        changed = []
        for row_id, link, stored in rows:
            canonical = canonical_link(link) or ''
            if canonical != (stored or ''):
                changed.append({'row_id': row_id, 'canonical': canonical, 'hash': link_hash(canonical or None)})
        if changed:
            bind.execute(items.update().where(items.c.id == sa.bindparam('row_id'))
                         .values(canonical_link=sa.bindparam('canonical'), link_hash=sa.bindparam('hash')), changed)


def downgrade():
    """Nothing to undo: the earlier spelling only kept more links apart; these compare as well."""
