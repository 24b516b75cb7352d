"""sales: the customer's answer on quotations (accepted by, on, their reference; declined on, why)

Revision ID: 73016a260cc2
Revises: d00e148d9bf7
Create Date: 2026-12-03 14:11:09.696370
"""
import sqlalchemy as sa
from alembic import op


revision = '73016a260cc2'
down_revision = 'd00e148d9bf7'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sales_order', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accepted_by', sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column('accepted_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('customer_reference', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('declined_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('decline_reason', sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('sales_order', schema=None) as batch_op:
        batch_op.drop_column('decline_reason')
        batch_op.drop_column('declined_at')
        batch_op.drop_column('customer_reference')
        batch_op.drop_column('accepted_at')
        batch_op.drop_column('accepted_by')
