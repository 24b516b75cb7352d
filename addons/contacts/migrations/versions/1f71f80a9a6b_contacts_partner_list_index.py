"""contacts: an index for the partner list's default order (company, name, id)

Revision ID: 1f71f80a9a6b
Revises: 0e4c13c41cb0
Create Date: 2026-12-03 02:44:23.590703
"""
from alembic import op


revision = '1f71f80a9a6b'
down_revision = '0e4c13c41cb0'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('contacts_partner', schema=None) as batch_op:
        batch_op.create_index('ix_contacts_partner_list', ['company_id', 'name', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('contacts_partner', schema=None) as batch_op:
        batch_op.drop_index('ix_contacts_partner_list')
