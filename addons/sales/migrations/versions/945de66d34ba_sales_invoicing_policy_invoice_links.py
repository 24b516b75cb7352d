"""sales: invoicing policy per product, invoice lines linked to orders

Revision ID: 945de66d34ba
Revises: 62059c1f8df4
Create Date: 2026-12-03 14:11:54.271129
"""
from alembic import op
import sqlalchemy as sa


revision = '945de66d34ba'
down_revision = '62059c1f8df4'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sales_product',
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('invoice_policy', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_sales_product_company_id_core_company')),
    sa.ForeignKeyConstraint(['product_id'], ['products_product.id'], name=op.f('fk_sales_product_product_id_products_product'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('product_id', name=op.f('pk_sales_product'))
    )
    with op.batch_alter_table('sales_product', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_product_company_id'), ['company_id'], unique=False)

    op.create_table('sales_invoice_line',
    sa.Column('invoice_line_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['invoice_line_id'], ['accounting_invoice_line.id'], name=op.f('fk_sales_invoice_line_invoice_line_id_accounting_invoice_line'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['order_id'], ['sales_order.id'], name=op.f('fk_sales_invoice_line_order_id_sales_order'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['order_line_id'], ['sales_order_line.id'], name=op.f('fk_sales_invoice_line_order_line_id_sales_order_line'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('invoice_line_id', name=op.f('pk_sales_invoice_line'))
    )
    with op.batch_alter_table('sales_invoice_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_invoice_line_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_invoice_line_order_line_id'), ['order_line_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('sales_invoice_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_invoice_line_order_line_id'))
        batch_op.drop_index(batch_op.f('ix_sales_invoice_line_order_id'))

    op.drop_table('sales_invoice_line')
    with op.batch_alter_table('sales_product', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_product_company_id'))

    op.drop_table('sales_product')
