"""products: products

Revision ID: 47343094fa1c
Revises: 
Create Date: 2026-12-01 14:36:14.002739
"""
from alembic import op
import sqlalchemy as sa


revision = '47343094fa1c'
down_revision = None
branch_labels = ('products',)
depends_on = '4d76cd7361dc'


def upgrade() -> None:
    op.create_table('products_product',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('list_price', sa.Numeric(precision=18, scale=6), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_products_product_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products_product')),
    sa.UniqueConstraint('company_id', 'code', name=op.f('uq_products_product_company_id_code'))
    )
    with op.batch_alter_table('products_product', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_products_product_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_products_product_name'), ['name'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('products_product', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_products_product_name'))
        batch_op.drop_index(batch_op.f('ix_products_product_company_id'))

    op.drop_table('products_product')
