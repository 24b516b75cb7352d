"""sales: delivered and invoiced quantities on order lines

Revision ID: 62059c1f8df4
Revises: 86df3565e225
Create Date: 2026-12-03 14:03:12.890780
"""
import sqlalchemy as sa
from alembic import op

revision = '62059c1f8df4'
down_revision = '86df3565e225'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # existing lines start at nothing delivered and nothing invoiced; the default is only for them
    with op.batch_alter_table('sales_order_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('qty_delivered', sa.Numeric(precision=16, scale=4), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('qty_invoiced', sa.Numeric(precision=16, scale=4), nullable=False,
                                      server_default='0'))
    with op.batch_alter_table('sales_order_line', schema=None) as batch_op:
        batch_op.alter_column('qty_delivered', server_default=None)
        batch_op.alter_column('qty_invoiced', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('sales_order_line', schema=None) as batch_op:
        batch_op.drop_column('qty_invoiced')
        batch_op.drop_column('qty_delivered')
