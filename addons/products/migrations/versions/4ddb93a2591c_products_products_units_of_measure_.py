"""products: units of measure, categories, unit and cost of products

Products that exist already are counted in units and cost 0: when there are
some, the migration writes the one "unit" row they need (through table
snapshots); every other seeded unit comes from the addon's after_install hook.

Revision ID: 4ddb93a2591c
Revises: 47343094fa1c
Create Date: 2026-12-03 06:31:05.502752
"""
from alembic import op
import sqlalchemy as sa


revision = '4ddb93a2591c'
down_revision = '47343094fa1c'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('products_uom_category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products_uom_category')),
    sa.UniqueConstraint('code', name=op.f('uq_products_uom_category_code'))
    )
    op.create_table('products_category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_products_category_company_id_core_company')),
    sa.ForeignKeyConstraint(['parent_id'], ['products_category.id'], name=op.f('fk_products_category_parent_id_products_category')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products_category')),
    sa.UniqueConstraint('company_id', 'parent_id', 'name', name=op.f('uq_products_category_company_id_parent_id_name'))
    )
    with op.batch_alter_table('products_category', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_products_category_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_products_category_parent_id'), ['parent_id'], unique=False)

    op.create_table('products_uom',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('factor', sa.Numeric(precision=24, scale=12), nullable=False),
    sa.Column('whole', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint('factor > 0', name=op.f('ck_products_uom_positive_factor')),
    sa.ForeignKeyConstraint(['category_id'], ['products_uom_category.id'], name=op.f('fk_products_uom_category_id_products_uom_category')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products_uom')),
    sa.UniqueConstraint('code', name=op.f('uq_products_uom_code'))
    )
    with op.batch_alter_table('products_uom', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_products_uom_category_id'), ['category_id'], unique=False)

    with op.batch_alter_table('products_product', schema=None) as batch_op:
        batch_op.add_column(sa.Column('category_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('uom_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cost', sa.Numeric(precision=18, scale=6), nullable=True))
    _count_existing_products_in_units()
    with op.batch_alter_table('products_product', schema=None) as batch_op:
        batch_op.alter_column('uom_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('cost', existing_type=sa.Numeric(precision=18, scale=6), nullable=False)
        batch_op.create_index(batch_op.f('ix_products_product_category_id'), ['category_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_products_product_category_id_products_category'), 'products_category', ['category_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_products_product_uom_id_products_uom'), 'products_uom', ['uom_id'], ['id'])



def _count_existing_products_in_units() -> None:
    category = sa.table('products_uom_category', sa.column('id', sa.Integer), sa.column('code', sa.String),
                        sa.column('name', sa.String))
    uom = sa.table('products_uom', sa.column('id', sa.Integer), sa.column('code', sa.String),
                   sa.column('name', sa.String), sa.column('category_id', sa.Integer),
                   sa.column('factor', sa.Numeric), sa.column('whole', sa.Boolean), sa.column('active', sa.Boolean))
    product = sa.table('products_product', sa.column('uom_id', sa.Integer), sa.column('cost', sa.Numeric))
    bind = op.get_bind()
    if bind.execute(sa.select(sa.func.count()).select_from(product)).scalar_one() == 0:
        return
    bind.execute(category.insert().values(code='unit', name='Units'))
    category_id = bind.execute(sa.select(category.c.id).where(category.c.code == 'unit')).scalar_one()
    bind.execute(uom.insert().values(code='unit', name='Unit', category_id=category_id, factor=1, whole=True,
                                     active=True))
    unit_id = bind.execute(sa.select(uom.c.id).where(uom.c.code == 'unit')).scalar_one()
    bind.execute(product.update().values(uom_id=unit_id, cost=0))


def downgrade() -> None:
    with op.batch_alter_table('products_product', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_products_product_uom_id_products_uom'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_products_product_category_id_products_category'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_products_product_category_id'))
        batch_op.drop_column('cost')
        batch_op.drop_column('uom_id')
        batch_op.drop_column('category_id')

    with op.batch_alter_table('products_uom', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_products_uom_category_id'))

    op.drop_table('products_uom')
    with op.batch_alter_table('products_category', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_products_category_parent_id'))
        batch_op.drop_index(batch_op.f('ix_products_category_company_id'))

    op.drop_table('products_category')
    op.drop_table('products_uom_category')
