"""directive scorecard evidence: portal page checks and changes (clause 10), the evidence register (clauses 1-8, 13, 14)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 10:20:41.597612

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('portal_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('previous_hash', sa.String(length=64), nullable=True),
    sa.Column('text_length', sa.Integer(), nullable=False),
    sa.Column('excerpt', sa.Text(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_portal_changes_agency_id_agencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portal_changes'))
    )
    with op.batch_alter_table('portal_changes', schema=None) as batch_op:
        batch_op.create_index('ix_portal_changes_agency_changed', ['agency_id', 'changed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_portal_changes_agency_id'), ['agency_id'], unique=False)

    op.create_table('portal_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('etag', sa.String(length=500), nullable=True),
    sa.Column('last_modified', sa.String(length=100), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=True),
    sa.Column('first_checked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_checked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_success_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_changed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_status', sa.Integer(), nullable=True),
    sa.Column('last_outcome', sa.String(length=20), nullable=True),
    sa.Column('last_error_code', sa.String(length=50), nullable=True),
    sa.Column('last_error_detail', sa.JSON(), nullable=True),
    sa.Column('consecutive_failures', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_portal_checks_agency_id_agencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portal_checks')),
    sa.UniqueConstraint('agency_id', name='uq_portal_checks_agency')
    )
    with op.batch_alter_table('portal_checks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_portal_checks_agency_id'), ['agency_id'], unique=False)

    op.create_table('evidence_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clause', sa.Integer(), nullable=False),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('is_standing', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('file_stored_name', sa.String(length=100), nullable=True),
    sa.Column('file_original_name', sa.String(length=255), nullable=False),
    sa.Column('file_content_type', sa.String(length=100), nullable=True),
    sa.Column('file_size_bytes', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_evidence_records_agency_id_agencies')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_evidence_records_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_records')),
    sa.UniqueConstraint('file_stored_name', name=op.f('uq_evidence_records_file_stored_name'))
    )
    with op.batch_alter_table('evidence_records', schema=None) as batch_op:
        batch_op.create_index('ix_evidence_records_agency_clause_day', ['agency_id', 'clause', 'happened_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_records_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_records_clause'), ['clause'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_records_happened_on'), ['happened_on'], unique=False)



def downgrade():
    with op.batch_alter_table('evidence_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_records_happened_on'))
        batch_op.drop_index(batch_op.f('ix_evidence_records_clause'))
        batch_op.drop_index(batch_op.f('ix_evidence_records_agency_id'))
        batch_op.drop_index('ix_evidence_records_agency_clause_day')

    op.drop_table('evidence_records')
    with op.batch_alter_table('portal_checks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_portal_checks_agency_id'))

    op.drop_table('portal_checks')
    with op.batch_alter_table('portal_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_portal_changes_agency_id'))
        batch_op.drop_index('ix_portal_changes_agency_changed')

    op.drop_table('portal_changes')
