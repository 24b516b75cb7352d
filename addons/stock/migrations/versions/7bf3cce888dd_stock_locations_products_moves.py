"""stock: locations, products, moves, quants, counts

Revision ID: 7bf3cce888dd
Revises: 
Create Date: 2026-12-03 06:32:56.651457
"""
from alembic import op
import sqlalchemy as sa


revision = '7bf3cce888dd'
down_revision = None
branch_labels = ('stock',)
depends_on = ['4d76cd7361dc', '47343094fa1c']


def upgrade() -> None:
    op.create_table('stock_warehouse',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_stock_warehouse_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_warehouse')),
    sa.UniqueConstraint('company_id', 'code', name=op.f('uq_stock_warehouse_company_id_code'))
    )
    with op.batch_alter_table('stock_warehouse', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_warehouse_company_id'), ['company_id'], unique=False)

    op.create_table('stock_location',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('warehouse_id', sa.Integer(), nullable=True),
    sa.Column('capacity', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('capacity_unit', sa.String(length=8), nullable=False),
    sa.Column('capacity_policy', sa.String(length=8), nullable=True),
    sa.Column('barcode', sa.String(length=64), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_stock_location_company_id_core_company')),
    sa.ForeignKeyConstraint(['parent_id'], ['stock_location.id'], name=op.f('fk_stock_location_parent_id_stock_location')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['stock_warehouse.id'], name=op.f('fk_stock_location_warehouse_id_stock_warehouse')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_location'))
    )
    with op.batch_alter_table('stock_location', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_location_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_location_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_location_warehouse_id'), ['warehouse_id'], unique=False)

    op.create_table('stock_lot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('expiry_date', sa.Date(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_stock_lot_company_id_core_company')),
    sa.ForeignKeyConstraint(['product_id'], ['products_product.id'], name=op.f('fk_stock_lot_product_id_products_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_lot')),
    sa.UniqueConstraint('company_id', 'product_id', 'name', name=op.f('uq_stock_lot_company_id_product_id_name'))
    )
    with op.batch_alter_table('stock_lot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_lot_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_lot_product_id'), ['product_id'], unique=False)

    op.create_table('stock_product',
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('stock_type', sa.String(length=16), nullable=False),
    sa.Column('tracking', sa.String(length=8), nullable=False),
    sa.Column('barcode', sa.String(length=64), nullable=True),
    sa.Column('weight', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('volume', sa.Numeric(precision=18, scale=6), nullable=True),
    sa.Column('valuation_method', sa.String(length=16), nullable=True),
    sa.Column('allow_negative', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_stock_product_company_id_core_company')),
    sa.ForeignKeyConstraint(['product_id'], ['products_product.id'], name=op.f('fk_stock_product_product_id_products_product'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('product_id', name=op.f('pk_stock_product')),
    sa.UniqueConstraint('company_id', 'barcode', name=op.f('uq_stock_product_company_id_barcode'))
    )
    with op.batch_alter_table('stock_product', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_product_company_id'), ['company_id'], unique=False)

    op.create_table('stock_count',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('date_done', sa.DateTime(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_stock_count_company_id_core_company')),
    sa.ForeignKeyConstraint(['location_id'], ['stock_location.id'], name=op.f('fk_stock_count_location_id_stock_location')),
    sa.ForeignKeyConstraint(['product_id'], ['products_product.id'], name=op.f('fk_stock_count_product_id_products_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_count'))
    )
    with op.batch_alter_table('stock_count', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_count_company_id'), ['company_id'], unique=False)

    op.create_table('stock_quant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=True),
    sa.Column('lot_key', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('reserved', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_stock_quant_company_id_core_company')),
    sa.ForeignKeyConstraint(['location_id'], ['stock_location.id'], name=op.f('fk_stock_quant_location_id_stock_location')),
    sa.ForeignKeyConstraint(['lot_id'], ['stock_lot.id'], name=op.f('fk_stock_quant_lot_id_stock_lot')),
    sa.ForeignKeyConstraint(['product_id'], ['products_product.id'], name=op.f('fk_stock_quant_product_id_products_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_quant')),
    sa.UniqueConstraint('product_id', 'location_id', 'lot_key', name=op.f('uq_stock_quant_product_id_location_id_lot_key'))
    )
    with op.batch_alter_table('stock_quant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_quant_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_quant_location_id'), ['location_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_quant_lot_id'), ['lot_id'], unique=False)

    op.create_table('stock_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_location_id', sa.Integer(), nullable=False),
    sa.Column('customer_location_id', sa.Integer(), nullable=False),
    sa.Column('inventory_location_id', sa.Integer(), nullable=False),
    sa.Column('transit_location_id', sa.Integer(), nullable=False),
    sa.Column('production_location_id', sa.Integer(), nullable=False),
    sa.Column('capacity_policy', sa.String(length=8), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_stock_settings_company_id_core_company')),
    sa.ForeignKeyConstraint(['customer_location_id'], ['stock_location.id'], name=op.f('fk_stock_settings_customer_location_id_stock_location')),
    sa.ForeignKeyConstraint(['inventory_location_id'], ['stock_location.id'], name=op.f('fk_stock_settings_inventory_location_id_stock_location')),
    sa.ForeignKeyConstraint(['production_location_id'], ['stock_location.id'], name=op.f('fk_stock_settings_production_location_id_stock_location')),
    sa.ForeignKeyConstraint(['supplier_location_id'], ['stock_location.id'], name=op.f('fk_stock_settings_supplier_location_id_stock_location')),
    sa.ForeignKeyConstraint(['transit_location_id'], ['stock_location.id'], name=op.f('fk_stock_settings_transit_location_id_stock_location')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_settings')),
    sa.UniqueConstraint('company_id', name=op.f('uq_stock_settings_company_id'))
    )
    with op.batch_alter_table('stock_settings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_settings_company_id'), ['company_id'], unique=False)

    op.create_table('stock_transfer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.Column('source_location_id', sa.Integer(), nullable=False),
    sa.Column('dest_location_id', sa.Integer(), nullable=False),
    sa.Column('scheduled_date', sa.Date(), nullable=False),
    sa.Column('date_done', sa.DateTime(), nullable=True),
    sa.Column('origin', sa.String(length=120), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('backorder_of_id', sa.Integer(), nullable=True),
    sa.Column('return_of_id', sa.Integer(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['backorder_of_id'], ['stock_transfer.id'], name=op.f('fk_stock_transfer_backorder_of_id_stock_transfer')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_stock_transfer_company_id_core_company')),
    sa.ForeignKeyConstraint(['dest_location_id'], ['stock_location.id'], name=op.f('fk_stock_transfer_dest_location_id_stock_location')),
    sa.ForeignKeyConstraint(['return_of_id'], ['stock_transfer.id'], name=op.f('fk_stock_transfer_return_of_id_stock_transfer')),
    sa.ForeignKeyConstraint(['source_location_id'], ['stock_location.id'], name=op.f('fk_stock_transfer_source_location_id_stock_location')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['stock_warehouse.id'], name=op.f('fk_stock_transfer_warehouse_id_stock_warehouse')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_transfer'))
    )
    with op.batch_alter_table('stock_transfer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_transfer_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_transfer_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_transfer_warehouse_id'), ['warehouse_id'], unique=False)

    op.create_table('stock_count_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('count_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=True),
    sa.Column('expected', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('counted', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_stock_count_line_company_id_core_company')),
    sa.ForeignKeyConstraint(['count_id'], ['stock_count.id'], name=op.f('fk_stock_count_line_count_id_stock_count'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['location_id'], ['stock_location.id'], name=op.f('fk_stock_count_line_location_id_stock_location')),
    sa.ForeignKeyConstraint(['lot_id'], ['stock_lot.id'], name=op.f('fk_stock_count_line_lot_id_stock_lot')),
    sa.ForeignKeyConstraint(['product_id'], ['products_product.id'], name=op.f('fk_stock_count_line_product_id_products_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_count_line'))
    )
    with op.batch_alter_table('stock_count_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_count_line_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_count_line_count_id'), ['count_id'], unique=False)

    op.create_table('stock_move',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('transfer_id', sa.Integer(), nullable=True),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('quantity_done', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('reserved', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('source_location_id', sa.Integer(), nullable=False),
    sa.Column('dest_location_id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('date', sa.DateTime(), nullable=True),
    sa.Column('unit_cost', sa.Numeric(precision=18, scale=6), nullable=True),
    sa.Column('return_of_id', sa.Integer(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_stock_move_positive_quantity')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_stock_move_company_id_core_company')),
    sa.ForeignKeyConstraint(['dest_location_id'], ['stock_location.id'], name=op.f('fk_stock_move_dest_location_id_stock_location')),
    sa.ForeignKeyConstraint(['lot_id'], ['stock_lot.id'], name=op.f('fk_stock_move_lot_id_stock_lot')),
    sa.ForeignKeyConstraint(['product_id'], ['products_product.id'], name=op.f('fk_stock_move_product_id_products_product')),
    sa.ForeignKeyConstraint(['return_of_id'], ['stock_move.id'], name=op.f('fk_stock_move_return_of_id_stock_move')),
    sa.ForeignKeyConstraint(['source_location_id'], ['stock_location.id'], name=op.f('fk_stock_move_source_location_id_stock_location')),
    sa.ForeignKeyConstraint(['transfer_id'], ['stock_transfer.id'], name=op.f('fk_stock_move_transfer_id_stock_transfer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_move'))
    )
    with op.batch_alter_table('stock_move', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_move_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_move_dest_location_id'), ['dest_location_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_move_lot_id'), ['lot_id'], unique=False)
        batch_op.create_index('ix_stock_move_product_state', ['product_id', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_move_return_of_id'), ['return_of_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_move_source_location_id'), ['source_location_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_move_transfer_id'), ['transfer_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('stock_move', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_move_transfer_id'))
        batch_op.drop_index(batch_op.f('ix_stock_move_source_location_id'))
        batch_op.drop_index(batch_op.f('ix_stock_move_return_of_id'))
        batch_op.drop_index('ix_stock_move_product_state')
        batch_op.drop_index(batch_op.f('ix_stock_move_lot_id'))
        batch_op.drop_index(batch_op.f('ix_stock_move_dest_location_id'))
        batch_op.drop_index(batch_op.f('ix_stock_move_company_id'))

    op.drop_table('stock_move')
    with op.batch_alter_table('stock_count_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_count_line_count_id'))
        batch_op.drop_index(batch_op.f('ix_stock_count_line_company_id'))

    op.drop_table('stock_count_line')
    with op.batch_alter_table('stock_transfer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_transfer_warehouse_id'))
        batch_op.drop_index(batch_op.f('ix_stock_transfer_name'))
        batch_op.drop_index(batch_op.f('ix_stock_transfer_company_id'))

    op.drop_table('stock_transfer')
    with op.batch_alter_table('stock_settings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_settings_company_id'))

    op.drop_table('stock_settings')
    with op.batch_alter_table('stock_quant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_quant_lot_id'))
        batch_op.drop_index(batch_op.f('ix_stock_quant_location_id'))
        batch_op.drop_index(batch_op.f('ix_stock_quant_company_id'))

    op.drop_table('stock_quant')
    with op.batch_alter_table('stock_count', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_count_company_id'))

    op.drop_table('stock_count')
    with op.batch_alter_table('stock_product', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_product_company_id'))

    op.drop_table('stock_product')
    with op.batch_alter_table('stock_lot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_lot_product_id'))
        batch_op.drop_index(batch_op.f('ix_stock_lot_company_id'))

    op.drop_table('stock_lot')
    with op.batch_alter_table('stock_location', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_location_warehouse_id'))
        batch_op.drop_index(batch_op.f('ix_stock_location_parent_id'))
        batch_op.drop_index(batch_op.f('ix_stock_location_company_id'))

    op.drop_table('stock_location')
    with op.batch_alter_table('stock_warehouse', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_warehouse_company_id'))

    op.drop_table('stock_warehouse')
