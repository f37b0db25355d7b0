"""name keys with a word's final hamza after «ا» or «ه» left out, as the shared normalization now
reads it («ضیاء» is «ضیا», «روزنامهء» «روزنامه»: search_index/normalization.py): the stored keys of
the directory computed again, so a name typed either way finds its record

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-05 15:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    from app.services.directory_keys import name_key

    bind = op.get_bind()
    for name in ('outlets', 'journalists'):
        table = sa.table(name, sa.column('id', sa.Integer), sa.column('name', sa.String),
                         sa.column('name_key', sa.String))
        for row_id, row_name, stored in bind.execute(sa.select(table.c.id, table.c.name, table.c.name_key)).all():
            key = name_key(row_name)
            if key != stored:
                bind.execute(table.update().where(table.c.id == row_id).values(name_key=key))


def downgrade():
    """Nothing to undo: these keys only read more spellings as one; the earlier ones compare as well."""
