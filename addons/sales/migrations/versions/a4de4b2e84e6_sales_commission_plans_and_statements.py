"""sales: commission plans (with their bands) and confirmed commission statements (with their documents and bands)

Revision ID: a4de4b2e84e6
Revises: 73016a260cc2
Create Date: 2026-12-03 17:28:02.926768
"""
import sqlalchemy as sa
from alembic import op


revision = 'a4de4b2e84e6'
down_revision = '73016a260cc2'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sales_commission_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('base', sa.String(length=10), nullable=False),
    sa.Column('trigger', sa.String(length=10), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_sales_commission_plan_company_id_core_company')),
    sa.ForeignKeyConstraint(['team_id'], ['sales_team.id'], name=op.f('fk_sales_commission_plan_team_id_sales_team')),
    sa.ForeignKeyConstraint(['user_id'], ['core_user.id'], name=op.f('fk_sales_commission_plan_user_id_core_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_commission_plan'))
    )
    with op.batch_alter_table('sales_commission_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_commission_plan_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_commission_plan_team_id'), ['team_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_commission_plan_user_id'), ['user_id'], unique=False)

    op.create_table('sales_commission_band',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('amount_from', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('amount_to', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('rate', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('rate >= 0 AND rate <= 100', name=op.f('ck_sales_commission_band_rate_percent')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_sales_commission_band_company_id_core_company')),
    sa.ForeignKeyConstraint(['plan_id'], ['sales_commission_plan.id'], name=op.f('fk_sales_commission_band_plan_id_sales_commission_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_commission_band'))
    )
    with op.batch_alter_table('sales_commission_band', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_commission_band_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_commission_band_plan_id'), ['plan_id'], unique=False)

    op.create_table('sales_commission_statement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('plan_name', sa.String(length=120), nullable=False),
    sa.Column('base_kind', sa.String(length=10), nullable=False),
    sa.Column('trigger', sa.String(length=10), nullable=False),
    sa.Column('date_from', sa.Date(), nullable=False),
    sa.Column('date_to', sa.Date(), nullable=False),
    sa.Column('currency_code', sa.String(length=3), nullable=False),
    sa.Column('base_amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(), nullable=False),
    sa.Column('cancelled_by_id', sa.Integer(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cancelled_by_id'], ['core_user.id'], name=op.f('fk_sales_commission_statement_cancelled_by_id_core_user')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_sales_commission_statement_company_id_core_company')),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['core_user.id'], name=op.f('fk_sales_commission_statement_confirmed_by_id_core_user')),
    sa.ForeignKeyConstraint(['plan_id'], ['sales_commission_plan.id'], name=op.f('fk_sales_commission_statement_plan_id_sales_commission_plan')),
    sa.ForeignKeyConstraint(['user_id'], ['core_user.id'], name=op.f('fk_sales_commission_statement_user_id_core_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_commission_statement'))
    )
    with op.batch_alter_table('sales_commission_statement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_commission_statement_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_commission_statement_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_commission_statement_reference'), ['reference'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_commission_statement_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_commission_statement_user_id'), ['user_id'], unique=False)

    op.create_table('sales_commission_statement_band',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('amount_from', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('amount_to', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('rate', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('base_amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_sales_commission_statement_band_company_id_core_company')),
    sa.ForeignKeyConstraint(['statement_id'], ['sales_commission_statement.id'], name=op.f('fk_sales_commission_statement_band_statement_id_sales_commission_statement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_commission_statement_band'))
    )
    with op.batch_alter_table('sales_commission_statement_band', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_commission_statement_band_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_commission_statement_band_statement_id'), ['statement_id'], unique=False)

    op.create_table('sales_commission_statement_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=True),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('customer', sa.String(length=255), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('share', sa.Numeric(precision=9, scale=4), nullable=False),
    sa.Column('base_amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_sales_commission_statement_line_company_id_core_company')),
    sa.ForeignKeyConstraint(['invoice_id'], ['accounting_invoice.id'], name=op.f('fk_sales_commission_statement_line_invoice_id_accounting_invoice')),
    sa.ForeignKeyConstraint(['statement_id'], ['sales_commission_statement.id'], name=op.f('fk_sales_commission_statement_line_statement_id_sales_commission_statement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_commission_statement_line'))
    )
    with op.batch_alter_table('sales_commission_statement_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_commission_statement_line_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_commission_statement_line_invoice_id'), ['invoice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sales_commission_statement_line_statement_id'), ['statement_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sales_commission_statement_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_commission_statement_line_statement_id'))
        batch_op.drop_index(batch_op.f('ix_sales_commission_statement_line_invoice_id'))
        batch_op.drop_index(batch_op.f('ix_sales_commission_statement_line_company_id'))

    op.drop_table('sales_commission_statement_line')
    with op.batch_alter_table('sales_commission_statement_band', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_commission_statement_band_statement_id'))
        batch_op.drop_index(batch_op.f('ix_sales_commission_statement_band_company_id'))

    op.drop_table('sales_commission_statement_band')
    with op.batch_alter_table('sales_commission_statement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_commission_statement_user_id'))
        batch_op.drop_index(batch_op.f('ix_sales_commission_statement_state'))
        batch_op.drop_index(batch_op.f('ix_sales_commission_statement_reference'))
        batch_op.drop_index(batch_op.f('ix_sales_commission_statement_plan_id'))
        batch_op.drop_index(batch_op.f('ix_sales_commission_statement_company_id'))

    op.drop_table('sales_commission_statement')
    with op.batch_alter_table('sales_commission_band', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_commission_band_plan_id'))
        batch_op.drop_index(batch_op.f('ix_sales_commission_band_company_id'))

    op.drop_table('sales_commission_band')
    with op.batch_alter_table('sales_commission_plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sales_commission_plan_user_id'))
        batch_op.drop_index(batch_op.f('ix_sales_commission_plan_team_id'))
        batch_op.drop_index(batch_op.f('ix_sales_commission_plan_company_id'))

    op.drop_table('sales_commission_plan')
