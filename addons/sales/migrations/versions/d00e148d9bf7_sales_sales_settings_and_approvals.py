"""sales: sales settings and approvals

Revision ID: d00e148d9bf7
Revises: 945de66d34ba
Create Date: 2026-12-03 14:11:19.382279
"""
from alembic import op
import sqlalchemy as sa


revision = 'd00e148d9bf7'
down_revision = '945de66d34ba'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sales_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('min_margin_percent', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('margin_policy', sa.String(length=12), nullable=False),
    sa.Column('credit_policy', sa.String(length=12), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('min_margin_percent >= 0 AND min_margin_percent <= 100', name=op.f('ck_sales_settings_margin_percent')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_sales_settings_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_settings')),
    sa.UniqueConstraint('company_id', name=op.f('uq_sales_settings_company_id'))
    )
    with op.batch_alter_table('sales_settings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_settings_company_id'), ['company_id'], unique=False)

    op.create_table('sales_approval',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('kinds', sa.String(length=32), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('refusal_reason', sa.Text(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_sales_approval_company_id_core_company')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['core_user.id'], name=op.f('fk_sales_approval_decided_by_id_core_user')),
    sa.ForeignKeyConstraint(['order_id'], ['sales_order.id'], name=op.f('fk_sales_approval_order_id_sales_order')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['core_user.id'], name=op.f('fk_sales_approval_requested_by_id_core_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_approval'))
    )
    with op.batch_alter_table('sales_approval', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_approval_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_approval_order_id'), ['order_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('sales_approval', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_approval_order_id'))
        batch_op.drop_index(batch_op.f('ix_sales_approval_company_id'))

    op.drop_table('sales_approval')
    with op.batch_alter_table('sales_settings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_settings_company_id'))

    op.drop_table('sales_settings')
