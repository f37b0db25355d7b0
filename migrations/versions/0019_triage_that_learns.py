"""triage that learns: classifier versions, route suggestions, model routes, learning per agency

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 17:29:11.904045

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('classifier_models',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('trained_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('trained_by', sa.String(length=200), nullable=False),
    sa.Column('label_counts', sa.JSON(), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('compared_with', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('payload', sa.LargeBinary(), nullable=False),
    sa.Column('activated_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_classifier_models'))
    )
    with op.batch_alter_table('classifier_models', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_classifier_models_status'), ['status'], unique=False)

    op.create_table('route_suggestions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('model_id', sa.Integer(), nullable=True),
    sa.Column('probability', sa.Float(), nullable=False),
    sa.Column('words', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('route_id', sa.Integer(), nullable=True),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_route_suggestions_agency_id_agencies')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_route_suggestions_decided_by_id_users')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_route_suggestions_item_id_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['model_id'], ['classifier_models.id'], name=op.f('fk_route_suggestions_model_id_classifier_models'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_route_suggestions'))
    )
    with op.batch_alter_table('route_suggestions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_route_suggestions_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_route_suggestions_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_route_suggestions_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_route_suggestions_status'), ['status'], unique=False)
        batch_op.create_index('uq_route_suggestions_item_agency', ['item_id', 'agency_id'], unique=True)

    # Columns added in place (recreate='never'): rebuilding agencies or item_routes on SQLite would
    # drop tables that other rows reference (question labels and rule links cascade).
    with op.batch_alter_table('agencies', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('learning_enabled', sa.Boolean(), server_default=sa.true(), nullable=False))

    with op.batch_alter_table('item_routes', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('model_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('model_probability', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('model_words', sa.JSON(), server_default='[]', nullable=False))



def downgrade():
    with op.batch_alter_table('item_routes', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('model_words')
        batch_op.drop_column('model_probability')
        batch_op.drop_column('model_id')

    with op.batch_alter_table('agencies', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('learning_enabled')

    with op.batch_alter_table('route_suggestions', schema=None) as batch_op:
        batch_op.drop_index('uq_route_suggestions_item_agency')
        batch_op.drop_index(batch_op.f('ix_route_suggestions_status'))
        batch_op.drop_index(batch_op.f('ix_route_suggestions_item_id'))
        batch_op.drop_index(batch_op.f('ix_route_suggestions_created_at'))
        batch_op.drop_index(batch_op.f('ix_route_suggestions_agency_id'))

    op.drop_table('route_suggestions')
    with op.batch_alter_table('classifier_models', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_classifier_models_status'))

    op.drop_table('classifier_models')
