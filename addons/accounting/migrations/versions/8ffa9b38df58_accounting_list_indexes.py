"""accounting: indexes for the default order of the invoice and entry lists (company, [kind,] date, id)

Revision ID: 8ffa9b38df58
Revises: 6c7d3e85edab
Create Date: 2026-12-03 02:57:58.509142
"""
from alembic import op


revision = '8ffa9b38df58'
down_revision = '6c7d3e85edab'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('accounting_invoice', schema=None) as batch_op:
        batch_op.create_index('ix_accounting_invoice_list', ['company_id', 'kind', 'date', 'id'], unique=False)

    with op.batch_alter_table('accounting_move', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounting_move_company_date'))
        batch_op.create_index('ix_accounting_move_list', ['company_id', 'date', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('accounting_move', schema=None) as batch_op:
        batch_op.drop_index('ix_accounting_move_list')
        batch_op.create_index(batch_op.f('ix_accounting_move_company_date'), ['company_id', 'date'], unique=False)

    with op.batch_alter_table('accounting_invoice', schema=None) as batch_op:
        batch_op.drop_index('ix_accounting_invoice_list')
