"""purchase_accounting: acceptances deleted with their draft bill through the session

Revision ID: d8814fbb24c5
Revises: 37d2a5e002f4
Create Date: 2026-12-03 08:36:26.763096
"""
from alembic import op
import sqlalchemy as sa


revision = 'd8814fbb24c5'
down_revision = '37d2a5e002f4'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('purchase_accounting_acceptance', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_purchase_accounting_acceptance_invoice_id_accounting_invoice'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_purchase_accounting_acceptance_invoice_id_accounting_invoice'), 'accounting_invoice', ['invoice_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('purchase_accounting_acceptance', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_purchase_accounting_acceptance_invoice_id_accounting_invoice'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_purchase_accounting_acceptance_invoice_id_accounting_invoice'), 'accounting_invoice', ['invoice_id'], ['id'], ondelete='CASCADE')

