"""login throttle counters keyed by a username's keyed tag: the counters kept under the name as
typed (a password typed into the name box, too) are deleted — a wait in progress starts again

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-05 18:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade():
    counters = sa.table('throttle_counters', sa.column('key', sa.String))
    op.get_bind().execute(counters.delete().where(counters.c.key.like('login:user:%')))


def downgrade():
    """Nothing to undo: the deleted counters were tries that are forgotten within a day anyway."""
