"""sales: covering indexes for the dashboard's sums over confirmed orders and their lines

Revision ID: b7d41c09e2f3
Revises: 5aa64adcbdef
Create Date: 2026-12-03 21:40:00.000000
"""
from alembic import op


revision = 'b7d41c09e2f3'
down_revision = '5aa64adcbdef'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sales_order', schema=None) as batch_op:
        batch_op.create_index('ix_sales_order_confirmed', ['company_id', 'state', 'confirmed_at', 'id', 'date_order',
                                                           'currency_code', 'amount_untaxed', 'margin', 'user_id',
                                                           'partner_id', 'team_id'], unique=False)
    with op.batch_alter_table('sales_order_line', schema=None) as batch_op:
        batch_op.create_index('ix_sales_order_line_dashboard', ['order_id', 'kind', 'optional', 'company_id', 'product_id',
                                                                'subtotal', 'margin'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sales_order_line', schema=None) as batch_op:
        batch_op.drop_index('ix_sales_order_line_dashboard')
    with op.batch_alter_table('sales_order', schema=None) as batch_op:
        batch_op.drop_index('ix_sales_order_confirmed')
