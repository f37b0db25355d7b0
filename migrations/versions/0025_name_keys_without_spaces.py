"""name keys without spaces: the directory's duplicate check and list search read «محمدرضا» and
«محمد رضا», «روزنامه‌ی شهر» and «روزنامهٔ شهر» as one name (app/services/directory_keys.py)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-05 12:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def _key(name, normalize, spaced):
    words = []
    for word in normalize(name or '').replace('\u200c', ' ').split():
        if not spaced:
            if word == 'ی' and words and words[-1].endswith('ه'):
                continue
            if word.endswith('هء'):
                word = word[:-1]
        words.append(word)
    return (' ' if spaced else '').join(words)[:200]


def _fill(spaced):
    from search_index.persian import normalize

    bind = op.get_bind()
    for name in ('outlets', 'journalists'):
        table = sa.table(name, sa.column('id', sa.Integer), sa.column('name', sa.String),
                         sa.column('name_key', sa.String))
        for row_id, row_name in bind.execute(sa.select(table.c.id, table.c.name)).all():
            bind.execute(table.update().where(table.c.id == row_id)
                         .values(name_key=_key(row_name, normalize, spaced)))


def upgrade():
    _fill(spaced=False)


def downgrade():
    _fill(spaced=True)
