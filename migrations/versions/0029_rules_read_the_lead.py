"""routing rules: a title-only rule may read the lead too (``reads_lead``); the starter pack's
«استاندار در عنوان» rules loaded before read it, as the pack's file now says

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-06 02:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None

# The starter pack's governorate title rule as 0029 found it (app/data/starter_rules.json before):
# an installation that loaded it and never edited it gets the lead as a new load would.
STARTER_NAME = 'استاندار در عنوان'
STARTER_QUERY = ('استاندار یا استانداری یا فرماندار یا فرمانداری یا بخشدار یا بخشداری یا «هفته دولت» یا '
                 '«شورای تامین»')


def upgrade():
    with op.batch_alter_table('routing_rules', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('reads_lead', sa.Boolean(), server_default=sa.false(), nullable=False))
    rules = sa.table('routing_rules', sa.column('agency_id', sa.Integer), sa.column('name', sa.String),
                     sa.column('query', sa.Text),
                     sa.column('is_title_only', sa.Boolean), sa.column('reads_lead', sa.Boolean),
                     sa.column('version', sa.Integer))
    agencies = sa.table('agencies', sa.column('id', sa.Integer), sa.column('slug', sa.String))
    governorate = sa.select(agencies.c.id).where(agencies.c.slug == 'governorate').scalar_subquery()
    op.get_bind().execute(rules.update().where(
        rules.c.name == STARTER_NAME, rules.c.query == STARTER_QUERY, rules.c.is_title_only == sa.true(),
        rules.c.version == 1, rules.c.agency_id == governorate).values(reads_lead=True))


def downgrade():
    # In place (SQLite 3.35+ drops a column): a rebuilt table would cascade-delete the rule backfills
    # and the routes' rule links that reference it (foreign keys are on; the review of 0029).
    with op.batch_alter_table('routing_rules', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('reads_lead')
