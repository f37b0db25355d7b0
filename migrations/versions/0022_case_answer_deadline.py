"""cases: the deadline the first published answer was due by (``answer_deadline``)

A reopened case got a new deadline and kept its first answer's day, so the figures judged that
answer against the new deadline: a late answer became an on-time one, in a month already past
(a helper's probe). The first answer's deadline is now kept; for the cases answered before this
revision it is their deadline as it stands (for a case never reopened, the one it was due by).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04 10:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('public_questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answer_deadline', sa.Date(), nullable=True))
    op.execute("UPDATE public_questions SET answer_deadline = deadline WHERE answered_on IS NOT NULL")


def downgrade():
    with op.batch_alter_table('public_questions', schema=None) as batch_op:
        batch_op.drop_column('answer_deadline')
