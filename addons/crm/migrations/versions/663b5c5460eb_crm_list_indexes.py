"""crm: indexes for the default order of the leads and opportunities lists (company, kind, date or name, id)

Revision ID: 663b5c5460eb
Revises: e18731f678bc
Create Date: 2026-12-03 02:57:52.950275
"""
from alembic import op


revision = '663b5c5460eb'
down_revision = 'e18731f678bc'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('crm_lead', schema=None) as batch_op:
        batch_op.create_index('ix_crm_lead_list', ['company_id', 'kind', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_crm_lead_opportunity_list', ['company_id', 'kind', 'name', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('crm_lead', schema=None) as batch_op:
        batch_op.drop_index('ix_crm_lead_opportunity_list')
        batch_op.drop_index('ix_crm_lead_list')
