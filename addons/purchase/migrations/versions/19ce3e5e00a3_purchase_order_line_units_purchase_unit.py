"""purchase: order line units, purchase unit

Order lines that exist already are in their product's unit (set through
table snapshots); a product's purchase unit starts empty (its unit).

Revision ID: 19ce3e5e00a3
Revises: 095a5ce04a71
Create Date: 2026-12-03 06:46:45.512195
"""
import sqlalchemy as sa
from alembic import op

revision = '19ce3e5e00a3'
down_revision = '095a5ce04a71'
branch_labels = None
depends_on = '4ddb93a2591c'


def upgrade() -> None:
    with op.batch_alter_table('purchase_order_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('uom_id', sa.Integer(), nullable=True))
    _lines_in_their_product_s_unit()
    with op.batch_alter_table('purchase_order_line', schema=None) as batch_op:
        batch_op.alter_column('uom_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(batch_op.f('fk_purchase_order_line_uom_id_products_uom'), 'products_uom', ['uom_id'], ['id'])

    with op.batch_alter_table('purchase_product', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purchase_uom_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_purchase_product_purchase_uom_id_products_uom'), 'products_uom', ['purchase_uom_id'], ['id'])


def _lines_in_their_product_s_unit() -> None:
    line = sa.table('purchase_order_line', sa.column('product_id', sa.Integer), sa.column('uom_id', sa.Integer))
    product = sa.table('products_product', sa.column('id', sa.Integer), sa.column('uom_id', sa.Integer))
    op.get_bind().execute(line.update().values(uom_id=sa.select(product.c.uom_id).where(
        product.c.id == line.c.product_id).scalar_subquery()))


def downgrade() -> None:
    with op.batch_alter_table('purchase_product', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_purchase_product_purchase_uom_id_products_uom'), type_='foreignkey')
        batch_op.drop_column('purchase_uom_id')

    with op.batch_alter_table('purchase_order_line', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_purchase_order_line_uom_id_products_uom'), type_='foreignkey')
        batch_op.drop_column('uom_id')
