"""purchase: order lines keep their supplier price reference until the service clears it

Revision ID: 003d2cb98f4c
Revises: 19ce3e5e00a3
Create Date: 2026-12-03 08:35:09.292661
"""
from alembic import op
import sqlalchemy as sa


revision = '003d2cb98f4c'
down_revision = '19ce3e5e00a3'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('purchase_order_line', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_purchase_order_line_supplier_price_id_purchase_supplier_price'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_purchase_order_line_supplier_price_id_purchase_supplier_price'), 'purchase_supplier_price', ['supplier_price_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('purchase_order_line', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_purchase_order_line_supplier_price_id_purchase_supplier_price'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_purchase_order_line_supplier_price_id_purchase_supplier_price'), 'purchase_supplier_price', ['supplier_price_id'], ['id'], ondelete='SET NULL')

