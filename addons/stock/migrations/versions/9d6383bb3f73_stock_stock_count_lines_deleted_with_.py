"""stock: count lines deleted with their count by the ORM (audited), not by the database

Revision ID: 9d6383bb3f73
Revises: e701440fa9d0
Create Date: 2026-12-03 08:27:26.705653
"""
from alembic import op
import sqlalchemy as sa


revision = '9d6383bb3f73'
down_revision = 'e701440fa9d0'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('stock_count_line', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_stock_count_line_count_id_stock_count'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_stock_count_line_count_id_stock_count'), 'stock_count', ['count_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('stock_count_line', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_stock_count_line_count_id_stock_count'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_stock_count_line_count_id_stock_count'), 'stock_count', ['count_id'], ['id'], ondelete='CASCADE')

