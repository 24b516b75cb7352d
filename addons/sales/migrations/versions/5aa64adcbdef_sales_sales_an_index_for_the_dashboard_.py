"""sales: an index for the dashboard's conversion

Revision ID: 5aa64adcbdef
Revises: a4de4b2e84e6
Create Date: 2026-12-03 18:04:12.791342
"""
from alembic import op
import sqlalchemy as sa


revision = '5aa64adcbdef'
down_revision = 'a4de4b2e84e6'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sales_order', schema=None) as batch_op:
        batch_op.create_index('ix_sales_order_state_date', ['company_id', 'state', 'date_order'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sales_order', schema=None) as batch_op:
        batch_op.drop_index('ix_sales_order_state_date')
