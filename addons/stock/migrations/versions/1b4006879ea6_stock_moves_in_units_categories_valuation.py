"""stock: moves in units of measure, categories' valuation method

Revision ID: 1b4006879ea6
Revises: 7bf3cce888dd
Create Date: 2026-12-03 06:52:59.396107
"""
import sqlalchemy as sa
from alembic import op


revision = '1b4006879ea6'
down_revision = '7bf3cce888dd'
branch_labels = None
depends_on = '4ddb93a2591c'  # products: units of measure


def upgrade() -> None:
    op.create_table('stock_category',
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('valuation_method', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['category_id'], ['products_category.id'], name=op.f('fk_stock_category_category_id_products_category'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_stock_category_company_id_core_company')),
    sa.PrimaryKeyConstraint('category_id', name=op.f('pk_stock_category'))
    )
    with op.batch_alter_table('stock_category', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_category_company_id'), ['company_id'], unique=False)

    with op.batch_alter_table('stock_move', schema=None) as batch_op:
        batch_op.add_column(sa.Column('uom_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('product_quantity', sa.Numeric(precision=18, scale=4), nullable=True))
    # moves made before units existed were counted in their product's unit
    move = sa.table('stock_move', sa.column('product_id', sa.Integer), sa.column('uom_id', sa.Integer),
                    sa.column('quantity', sa.Numeric), sa.column('product_quantity', sa.Numeric))
    product = sa.table('products_product', sa.column('id', sa.Integer), sa.column('uom_id', sa.Integer))
    op.execute(move.update().values(
        uom_id=sa.select(product.c.uom_id).where(product.c.id == move.c.product_id).scalar_subquery(),
        product_quantity=move.c.quantity))
    with op.batch_alter_table('stock_move', schema=None) as batch_op:
        batch_op.alter_column('uom_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('product_quantity', existing_type=sa.Numeric(precision=18, scale=4), nullable=False)
        batch_op.create_foreign_key(batch_op.f('fk_stock_move_uom_id_products_uom'), 'products_uom', ['uom_id'], ['id'])
        batch_op.create_check_constraint(op.f('ck_stock_move_positive_product_quantity'), 'product_quantity > 0')



def downgrade() -> None:
    with op.batch_alter_table('stock_move', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_stock_move_positive_product_quantity'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_stock_move_uom_id_products_uom'), type_='foreignkey')
        batch_op.drop_column('product_quantity')
        batch_op.drop_column('uom_id')

    with op.batch_alter_table('stock_category', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_category_company_id'))

    op.drop_table('stock_category')
