"""stock: warehouses' limited users

Revision ID: e701440fa9d0
Revises: 131ed888b990
Create Date: 2026-12-03 07:31:56.723557
"""
import sqlalchemy as sa
from alembic import op


revision = 'e701440fa9d0'
down_revision = '131ed888b990'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('stock_warehouse_user',
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['core_user.id'], name=op.f('fk_stock_warehouse_user_user_id_core_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['warehouse_id'], ['stock_warehouse.id'], name=op.f('fk_stock_warehouse_user_warehouse_id_stock_warehouse'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('warehouse_id', 'user_id', name=op.f('pk_stock_warehouse_user'))
    )
    with op.batch_alter_table('stock_warehouse_user', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_warehouse_user_user_id'), ['user_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('stock_warehouse_user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_warehouse_user_user_id'))

    op.drop_table('stock_warehouse_user')
