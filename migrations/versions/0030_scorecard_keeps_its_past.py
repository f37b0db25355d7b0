"""the scorecard keeps its past: a contact keeps its outlet's scope as it was when the outlet was
chosen (``contacts.outlet_scope``, filled from the outlets' scope now), and an agency's clause-9
targets are kept with the day they were set (``conference_targets``)

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-06 08:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contacts', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('outlet_scope', sa.String(length=16), nullable=True))
    contacts = sa.table('contacts', sa.column('outlet_id', sa.Integer), sa.column('outlet_scope', sa.String))
    outlets = sa.table('outlets', sa.column('id', sa.Integer), sa.column('scope', sa.String),
                       sa.column('is_active', sa.Boolean))
    # as the scorecard counted them until now: the outlet's scope today, none for one switched off
    op.get_bind().execute(contacts.update().where(contacts.c.outlet_id.isnot(None)).values(
        outlet_scope=sa.select(outlets.c.scope).where(outlets.c.id == contacts.c.outlet_id,
                                                      outlets.c.is_active == sa.true()).scalar_subquery()))
    op.create_table(
        'conference_targets',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=False),
        sa.Column('target', sa.Integer(), nullable=False),
        sa.Column('period', sa.String(length=8), nullable=False),
        sa.Column('since', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_conference_targets_agency_since', 'conference_targets', ['agency_id', 'since'], unique=False)


def downgrade():
    op.drop_index('ix_conference_targets_agency_since', table_name='conference_targets')
    op.drop_table('conference_targets')
    with op.batch_alter_table('contacts', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('outlet_scope')
