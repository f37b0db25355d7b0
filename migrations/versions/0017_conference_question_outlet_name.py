"""conference questions: the asker's outlet as typed, when it is not in the directory

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 06:36:52.004199

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    # conference_commitments points at conference_questions: never recreate it (SQLite).
    with op.batch_alter_table('conference_questions', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('outlet_name', sa.String(length=200), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('conference_questions', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('outlet_name')
