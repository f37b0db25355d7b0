"""case coverage: monitored items confirmed (or dismissed) as carrying a case's published answer

Revision ID: 0013
Revises: 0007
Create Date: 2026-12-03 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_coverage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['public_questions.id'], name=op.f('fk_case_coverage_case_id_public_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], name=op.f('fk_case_coverage_confirmed_by_id_users')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_case_coverage_item_id_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_coverage')),
    sa.UniqueConstraint('case_id', 'item_id', name=op.f('uq_case_coverage_case_id'))
    )
    with op.batch_alter_table('case_coverage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_coverage_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_coverage_item_id'), ['item_id'], unique=False)


def downgrade():
    with op.batch_alter_table('case_coverage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_coverage_item_id'))
        batch_op.drop_index(batch_op.f('ix_case_coverage_case_id'))

    op.drop_table('case_coverage')
