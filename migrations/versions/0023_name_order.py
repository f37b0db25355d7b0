"""outlets, journalists and agencies get ``name_order``, their name's place in Persian alphabetical
order, which the lists and pickers sort by

Sorted by the name, the lists followed code points: «پ چ ژ ک گ» came after «ی», and «ه» before «و».
The key is made by search_index/collation.py (app/services/name_order.py): three bytes a letter,
so SQLite and PostgreSQL sort it alike whatever the database's collation. The rows stored before
this revision get it here.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-04 16:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

TABLES = {'outlets': 'name', 'journalists': 'name', 'agencies': 'name_fa'}  # the column each is sorted by


def upgrade():
    # NOT NULL with an empty default, so SQLite adds the column in place (ALTER TABLE … ADD COLUMN)
    # rather than copy the table, which a dozen tables' foreign keys point at (agencies).
    sqlite = op.get_bind().dialect.name == 'sqlite'
    empty = sa.text("X''") if sqlite else sa.text("''::bytea")
    for table, column in TABLES.items():
        op.add_column(table, sa.Column('name_order', sa.LargeBinary(), nullable=False, server_default=empty))
        _fill(table, column)
        op.create_index(op.f(f'ix_{table}_name_order'), table, ['name_order'], unique=False)


def _fill(table_name, column):
    # The key app/services/name_order.py writes (collation's ranks, three bytes each), so old and new
    # rows sort together; written out here so a migration does not import the models it changes.
    from search_index.collation import sort_key

    conn = op.get_bind()
    table = sa.table(table_name, sa.column('id', sa.Integer), sa.column(column, sa.String),
                     sa.column('name_order', sa.LargeBinary))
    for row_id, name in conn.execute(sa.select(table.c.id, table.c[column])).all():
        key = b''.join(rank.to_bytes(3, 'big') for rank in sort_key(name)[0])
        conn.execute(sa.update(table).where(table.c.id == row_id).values(name_order=key))


def downgrade():
    for table in TABLES:
        op.drop_index(op.f(f'ix_{table}_name_order'), table_name=table)
        if op.get_bind().dialect.name == 'sqlite':  # in place (SQLite 3.35+): no copy of the table, as above
            op.execute(f'ALTER TABLE {table} DROP COLUMN name_order')
        else:
            op.drop_column(table, 'name_order')
