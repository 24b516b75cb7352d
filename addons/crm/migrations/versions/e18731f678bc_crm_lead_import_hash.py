"""crm: lead import hash

Revision ID: e18731f678bc
Revises: cb3dae491452
Create Date: 2026-11-23 19:39:37.946327
"""
from alembic import op
import sqlalchemy as sa


revision = 'e18731f678bc'
down_revision = 'cb3dae491452'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('crm_lead', schema=None) as batch_op:
        batch_op.add_column(sa.Column('import_hash', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_crm_lead_import_hash'), ['import_hash'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('crm_lead', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crm_lead_import_hash'))
        batch_op.drop_column('import_hash')

