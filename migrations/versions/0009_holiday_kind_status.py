"""holidays: kind (fixed solar / lunar / other), status (confirmed / proposed), the Hijri day

Revision ID: 0009
Revises: 0006
Create Date: 2026-12-02 02:30:00

is_fixed_solar becomes kind = 'fixed_solar'; every other existing row becomes kind 'other' (an
administrator typed it; whether it was lunar is not known) and stays confirmed.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('holidays', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), server_default='other', nullable=False))
        batch_op.add_column(sa.Column('status', sa.String(length=16), server_default='confirmed', nullable=False))
        batch_op.add_column(sa.Column('hijri_date', sa.String(length=10), nullable=True))
        batch_op.create_index(batch_op.f('ix_holidays_status'), ['status'], unique=False)
    op.execute("UPDATE holidays SET kind = 'fixed_solar' WHERE is_fixed_solar")
    with op.batch_alter_table('holidays', schema=None) as batch_op:
        batch_op.drop_column('is_fixed_solar')


def downgrade():
    with op.batch_alter_table('holidays', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_fixed_solar', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute("UPDATE holidays SET is_fixed_solar = (kind = 'fixed_solar')")
    with op.batch_alter_table('holidays', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_holidays_status'))
        batch_op.drop_column('hijri_date')
        batch_op.drop_column('status')
        batch_op.drop_column('kind')
