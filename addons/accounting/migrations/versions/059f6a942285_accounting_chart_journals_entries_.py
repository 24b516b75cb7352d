"""accounting: chart, journals, entries, invoices, payments, bank, budgets

Revision ID: 059f6a942285
Revises: 
Create Date: 2026-12-01 13:07:28
"""
from alembic import op
import sqlalchemy as sa


revision = '059f6a942285'
down_revision = None
branch_labels = ('accounting',)
depends_on = ['4d76cd7361dc', '6841b6a662f3', '47343094fa1c']


def upgrade() -> None:
    op.create_table('accounting_currency',
    sa.Column('code', sa.String(length=3), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('symbol', sa.String(length=8), nullable=False),
    sa.Column('decimals', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_accounting_currency'))
    )
    op.create_table('accounting_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('reconcile', sa.Boolean(), nullable=False),
    sa.Column('currency_code', sa.String(length=3), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_accounting_account_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounting_account')),
    sa.UniqueConstraint('company_id', 'code', name=op.f('uq_accounting_account_company_id_code'))
    )
    with op.batch_alter_table('accounting_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounting_account_company_id'), ['company_id'], unique=False)

    op.create_table('accounting_currency_rate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('currency_code', sa.String(length=3), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('rate', sa.Numeric(precision=18, scale=8), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('rate > 0', name=op.f('ck_accounting_currency_rate_positive')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_accounting_currency_rate_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounting_currency_rate')),
    sa.UniqueConstraint('company_id', 'currency_code', 'date', name=op.f('uq_accounting_currency_rate_company_id_currency_code_date'))
    )
    with op.batch_alter_table('accounting_currency_rate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounting_currency_rate_company_id'), ['company_id'], unique=False)

    op.create_table('accounting_fiscal_year',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=16), nullable=False),
    sa.Column('date_start', sa.Date(), nullable=False),
    sa.Column('date_end', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=8), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('date_start <= date_end', name=op.f('ck_accounting_fiscal_year_dates')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_accounting_fiscal_year_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounting_fiscal_year')),
    sa.UniqueConstraint('company_id', 'name', name=op.f('uq_accounting_fiscal_year_company_id_name'))
    )
    with op.batch_alter_table('accounting_fiscal_year', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounting_fiscal_year_company_id'), ['company_id'], unique=False)

    op.create_table('accounting_payment_term',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_accounting_payment_term_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounting_payment_term'))
    )
    with op.batch_alter_table('accounting_payment_term', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounting_payment_term_company_id'), ['company_id'], unique=False)

    op.create_table('accounting_budget',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('fiscal_year_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_accounting_budget_company_id_core_company')),
    sa.ForeignKeyConstraint(['fiscal_year_id'], ['accounting_fiscal_year.id'], name=op.f('fk_accounting_budget_fiscal_year_id_accounting_fiscal_year')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounting_budget'))
    )
    with op.batch_alter_table('accounting_budget', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounting_budget_company_id'), ['company_id'], unique=False)

    op.create_table('accounting_journal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('default_account_id', sa.Integer(), nullable=True),
    sa.Column('currency_code', sa.String(length=3), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_accounting_journal_company_id_core_company')),
    sa.ForeignKeyConstraint(['default_account_id'], ['accounting_account.id'], name=op.f('fk_accounting_journal_default_account_id_accounting_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounting_journal')),
    sa.UniqueConstraint('company_id', 'code', name=op.f('uq_accounting_journal_company_id_code'))
    )
    with op.batch_alter_table('accounting_journal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounting_journal_company_id'), ['company_id'], unique=False)

    op.create_table('accounting_payment_term_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('term_id', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('percent', sa.Numeric(precision=7, scale=4), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('end_of_month', sa.Boolean(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_accounting_payment_term_line_company_id_core_company')),
    sa.ForeignKeyConstraint(['term_id'], ['accounting_payment_term.id'], name=op.f('fk_accounting_payment_term_line_term_id_accounting_payment_term')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounting_payment_term_line'))
    )
    with op.batch_alter_table('accounting_payment_term_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounting_payment_term_line_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_accounting_payment_term_line_term_id'), ['term_id'], unique=False)

    op.create_table('accounting_period',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=16), nullable=False),
    sa.Column('date_start', sa.Date(), nullable=False),
    sa.Column('date_end', sa.Date(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_accounting_period_company_id_core_company')),
    sa.ForeignKeyConstraint(['fiscal_year_id'], ['accounting_fiscal_year.id'], name=op.f('fk_accounting_period_fiscal_year_id_accounting_fiscal_year')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounting_period')),
    sa.UniqueConstraint('fiscal_year_id', 'name', name=op.f('uq_accounting_period_fiscal_year_id_name'))
    )
    with op.batch_alter_table('accounting_period', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounting_period_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_accounting_period_fiscal_year_id'), ['fiscal_year_id'], unique=False)

    op.create_table('accounting_tax',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=24), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('use', sa.String(length=8), nullable=False),
    sa.Column('percent', sa.Numeric(precision=8, scale=4), nullable=False),
    sa.Column('price_include', sa.Boolean(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('reverse_charge_account_id', sa.Integer(), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounting_account.id'], name=op.f('fk_accounting_tax_account_id_accounting_account')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_accounting_tax_company_id_core_company')),
    sa.ForeignKeyConstraint(['reverse_charge_account_id'], ['accounting_account.id'], name=op.f('fk_accounting_tax_reverse_charge_account_id_accounting_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounting_tax')),
    sa.UniqueConstraint('company_id', 'code', name=op.f('uq_accounting_tax_company_id_code'))
    )
    with op.batch_alter_table('accounting_tax', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounting_tax_company_id'), ['company_id'], unique=False)

    op.create_table('accounting_bank_statement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('journal_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('balance_start', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('balance_end', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_accounting_bank_statement_company_id_core_company')),
    sa.ForeignKeyConstraint(['journal_id'], ['accounting_journal.id'], name=op.f('fk_accounting_bank_statement_journal_id_accounting_journal')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounting_bank_statement'))
    )
    with op.batch_alter_table('accounting_bank_statement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounting_bank_statement_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_accounting_bank_statement_journal_id'), ['journal_id'], unique=False)

    op.create_table('accounting_budget_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('budget_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounting_account.id'], name=op.f('fk_accounting_budget_line_account_id_accounting_account')),
    sa.ForeignKeyConstraint(['budget_id'], ['accounting_budget.id'], name=op.f('fk_accounting_budget_line_budget_id_accounting_budget')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_accounting_budget_line_company_id_core_company')),
    sa.ForeignKeyConstraint(['period_id'], ['accounting_period.id'], name=op.f('fk_accounting_budget_line_period_id_accounting_period')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounting_budget_line')),
    sa.UniqueConstraint('budget_id', 'account_id', 'period_id', name=op.f('uq_accounting_budget_line_budget_id_account_id_period_id'))
    )
    with op.batch_alter_table('accounting_budget_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounting_budget_line_budget_id'), ['budget_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_accounting_budget_line_company_id'), ['company_id'], unique=False)

    op.create_table('accounting_move',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('journal_id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year_id', sa.Integer(), nullable=True),
    sa.Column('period_id', sa.Integer(), nullable=True),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=True),
    sa.Column('sequence_number', sa.Integer(), nullable=True),
    sa.Column('ref', sa.String(length=255), nullable=True),
    sa.Column('narration', sa.Text(), nullable=True),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=8), nullable=False),
    sa.Column('origin', sa.String(length=16), nullable=False),
    sa.Column('reversed_move_id', sa.Integer(), nullable=True),
    sa.Column('posted_at', sa.DateTime(), nullable=True),
    sa.Column('posted_by_id', sa.Integer(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("state <> 'posted' OR (number IS NOT NULL AND sequence_number IS NOT NULL AND fiscal_year_id IS NOT NULL)", name=op.f('ck_accounting_move_posted_numbered')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_accounting_move_company_id_core_company')),
    sa.ForeignKeyConstraint(['fiscal_year_id'], ['accounting_fiscal_year.id'], name=op.f('fk_accounting_move_fiscal_year_id_accounting_fiscal_year')),
    sa.ForeignKeyConstraint(['journal_id'], ['accounting_journal.id'], name=op.f('fk_accounting_move_journal_id_accounting_journal')),
    sa.ForeignKeyConstraint(['partner_id'], ['contacts_partner.id'], name=op.f('fk_accounting_move_partner_id_contacts_partner')),
    sa.ForeignKeyConstraint(['period_id'], ['accounting_period.id'], name=op.f('fk_accounting_move_period_id_accounting_period')),
    sa.ForeignKeyConstraint(['posted_by_id'], ['core_user.id'], name=op.f('fk_accounting_move_posted_by_id_core_user')),
    sa.ForeignKeyConstraint(['reversed_move_id'], ['accounting_move.id'], name=op.f('fk_accounting_move_reversed_move_id_accounting_move')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounting_move')),
    sa.UniqueConstraint('journal_id', 'fiscal_year_id', 'sequence_number', name=op.f('uq_accounting_move_journal_id_fiscal_year_id_sequence_number')),
    sa.UniqueConstraint('reversed_move_id', name=op.f('uq_accounting_move_reversed_move_id'))
    )
    with op.batch_alter_table('accounting_move', schema=None) as batch_op:
        batch_op.create_index('ix_accounting_move_company_date', ['company_id', 'date'], unique=False)
        batch_op.create_index(batch_op.f('ix_accounting_move_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_accounting_move_journal_id'), ['journal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_accounting_move_partner_id'), ['partner_id'], unique=False)

    op.create_table('accounting_partner',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('receivable_account_id', sa.Integer(), nullable=False),
    sa.Column('payable_account_id', sa.Integer(), nullable=False),
    sa.Column('customer_payment_term_id', sa.Integer(), nullable=True),
    sa.Column('supplier_payment_term_id', sa.Integer(), nullable=True),
    sa.Column('credit_limit', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_accounting_partner_company_id_core_company')),
    sa.ForeignKeyConstraint(['customer_payment_term_id'], ['accounting_payment_term.id'], name=op.f('fk_accounting_partner_customer_payment_term_id_accounting_payment_term')),
    sa.ForeignKeyConstraint(['partner_id'], ['contacts_partner.id'], name=op.f('fk_accounting_partner_partner_id_contacts_partner')),
    sa.ForeignKeyConstraint(['payable_account_id'], ['accounting_account.id'], name=op.f('fk_accounting_partner_payable_account_id_accounting_account')),
    sa.ForeignKeyConstraint(['receivable_account_id'], ['accounting_account.id'], name=op.f('fk_accounting_partner_receivable_account_id_accounting_account')),
    sa.ForeignKeyConstraint(['supplier_payment_term_id'], ['accounting_payment_term.id'], name=op.f('fk_accounting_partner_supplier_payment_term_id_accounting_payment_term')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounting_partner')),
    sa.UniqueConstraint('partner_id', name=op.f('uq_accounting_partner_partner_id'))
    )
    with op.batch_alter_table('accounting_partner', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounting_partner_company_id'), ['company_id'], unique=False)

    op.create_table('accounting_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('chart', sa.String(length=16), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('lock_date', sa.Date(), nullable=True),
    sa.Column('tax_rounding', sa.String(length=8), nullable=False),
    sa.Column('receivable_account_id', sa.Integer(), nullable=True),
    sa.Column('payable_account_id', sa.Integer(), nullable=True),
    sa.Column('income_account_id', sa.Integer(), nullable=True),
    sa.Column('expense_account_id', sa.Integer(), nullable=True),
    sa.Column('retained_earnings_account_id', sa.Integer(), nullable=True),
    sa.Column('exchange_gain_account_id', sa.Integer(), nullable=True),
    sa.Column('exchange_loss_account_id', sa.Integer(), nullable=True),
    sa.Column('writeoff_account_id', sa.Integer(), nullable=True),
    sa.Column('writeoff_limit', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_accounting_settings_company_id_core_company')),
    sa.ForeignKeyConstraint(['exchange_gain_account_id'], ['accounting_account.id'], name=op.f('fk_accounting_settings_exchange_gain_account_id_accounting_account')),
    sa.ForeignKeyConstraint(['exchange_loss_account_id'], ['accounting_account.id'], name=op.f('fk_accounting_settings_exchange_loss_account_id_accounting_account')),
    sa.ForeignKeyConstraint(['expense_account_id'], ['accounting_account.id'], name=op.f('fk_accounting_settings_expense_account_id_accounting_account')),
    sa.ForeignKeyConstraint(['income_account_id'], ['accounting_account.id'], name=op.f('fk_accounting_settings_income_account_id_accounting_account')),
    sa.ForeignKeyConstraint(['partner_id'], ['contacts_partner.id'], name=op.f('fk_accounting_settings_partner_id_contacts_partner')),
    sa.ForeignKeyConstraint(['payable_account_id'], ['accounting_account.id'], name=op.f('fk_accounting_settings_payable_account_id_accounting_account')),
    sa.ForeignKeyConstraint(['receivable_account_id'], ['accounting_account.id'], name=op.f('fk_accounting_settings_receivable_account_id_accounting_account')),
    sa.ForeignKeyConstraint(['retained_earnings_account_id'], ['accounting_account.id'], name=op.f('fk_accounting_settings_retained_earnings_account_id_accounting_account')),
    sa.ForeignKeyConstraint(['writeoff_account_id'], ['accounting_account.id'], name=op.f('fk_accounting_settings_writeoff_account_id_accounting_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounting_settings')),
    sa.UniqueConstraint('company_id', name=op.f('uq_accounting_settings_company_id'))
    )
    with op.batch_alter_table('accounting_settings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounting_settings_company_id'), ['company_id'], unique=False)

    op.create_table('accounting_bank_statement_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('journal_id', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('label', sa.String(length=255), nullable=True),
    sa.Column('reference', sa.String(length=64), nullable=True),
    sa.Column('partner_name', sa.String(length=120), nullable=True),
    sa.Column('account_number', sa.String(length=40), nullable=True),
    sa.Column('unique_key', sa.String(length=64), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=8), nullable=False),
    sa.Column('move_id', sa.Integer(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_accounting_bank_statement_line_company_id_core_company')),
    sa.ForeignKeyConstraint(['journal_id'], ['accounting_journal.id'], name=op.f('fk_accounting_bank_statement_line_journal_id_accounting_journal')),
    sa.ForeignKeyConstraint(['move_id'], ['accounting_move.id'], name=op.f('fk_accounting_bank_statement_line_move_id_accounting_move')),
    sa.ForeignKeyConstraint(['partner_id'], ['contacts_partner.id'], name=op.f('fk_accounting_bank_statement_line_partner_id_contacts_partner')),
    sa.ForeignKeyConstraint(['statement_id'], ['accounting_bank_statement.id'], name=op.f('fk_accounting_bank_statement_line_statement_id_accounting_bank_statement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounting_bank_statement_line')),
    sa.UniqueConstraint('company_id', 'journal_id', 'unique_key', name=op.f('uq_accounting_bank_statement_line_company_id_journal_id_unique_key'))
    )
    with op.batch_alter_table('accounting_bank_statement_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounting_bank_statement_line_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_accounting_bank_statement_line_statement_id'), ['statement_id'], unique=False)

    op.create_table('accounting_invoice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=True),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('journal_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('payment_term_id', sa.Integer(), nullable=True),
    sa.Column('currency_code', sa.String(length=3), nullable=False),
    sa.Column('rate', sa.Numeric(precision=18, scale=8), nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=True),
    sa.Column('narration', sa.Text(), nullable=True),
    sa.Column('origin_invoice_id', sa.Integer(), nullable=True),
    sa.Column('move_id', sa.Integer(), nullable=True),
    sa.Column('amount_untaxed', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('amount_tax', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('amount_total', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('residual', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('payment_state', sa.String(length=10), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_accounting_invoice_company_id_core_company')),
    sa.ForeignKeyConstraint(['journal_id'], ['accounting_journal.id'], name=op.f('fk_accounting_invoice_journal_id_accounting_journal')),
    sa.ForeignKeyConstraint(['move_id'], ['accounting_move.id'], name=op.f('fk_accounting_invoice_move_id_accounting_move')),
    sa.ForeignKeyConstraint(['origin_invoice_id'], ['accounting_invoice.id'], name=op.f('fk_accounting_invoice_origin_invoice_id_accounting_invoice')),
    sa.ForeignKeyConstraint(['partner_id'], ['contacts_partner.id'], name=op.f('fk_accounting_invoice_partner_id_contacts_partner')),
    sa.ForeignKeyConstraint(['payment_term_id'], ['accounting_payment_term.id'], name=op.f('fk_accounting_invoice_payment_term_id_accounting_payment_term')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounting_invoice'))
    )
    with op.batch_alter_table('accounting_invoice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounting_invoice_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_accounting_invoice_number'), ['number'], unique=False)
        batch_op.create_index(batch_op.f('ix_accounting_invoice_partner_id'), ['partner_id'], unique=False)

    op.create_table('accounting_move_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('move_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=255), nullable=True),
    sa.Column('debit', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('credit', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('currency_code', sa.String(length=3), nullable=True),
    sa.Column('amount_currency', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('date_maturity', sa.Date(), nullable=True),
    sa.Column('journal_id', sa.Integer(), nullable=False),
    sa.Column('posted', sa.Boolean(), nullable=False),
    sa.Column('tax_id', sa.Integer(), nullable=True),
    sa.Column('tax_base_amount', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('debit >= 0 AND credit >= 0 AND (debit = 0 OR credit = 0)', name=op.f('ck_accounting_move_line_one_side')),
    sa.ForeignKeyConstraint(['account_id'], ['accounting_account.id'], name=op.f('fk_accounting_move_line_account_id_accounting_account')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_accounting_move_line_company_id_core_company')),
    sa.ForeignKeyConstraint(['journal_id'], ['accounting_journal.id'], name=op.f('fk_accounting_move_line_journal_id_accounting_journal')),
    sa.ForeignKeyConstraint(['move_id'], ['accounting_move.id'], name=op.f('fk_accounting_move_line_move_id_accounting_move')),
    sa.ForeignKeyConstraint(['partner_id'], ['contacts_partner.id'], name=op.f('fk_accounting_move_line_partner_id_contacts_partner')),
    sa.ForeignKeyConstraint(['tax_id'], ['accounting_tax.id'], name=op.f('fk_accounting_move_line_tax_id_accounting_tax')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounting_move_line'))
    )
    with op.batch_alter_table('accounting_move_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounting_move_line_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_accounting_move_line_move_id'), ['move_id'], unique=False)
        batch_op.create_index('ix_accounting_move_line_open', ['account_id', 'partner_id', 'date_maturity'], unique=False)
        batch_op.create_index(batch_op.f('ix_accounting_move_line_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index('ix_accounting_move_line_report', ['company_id', 'posted', 'account_id', 'date', 'debit', 'credit'], unique=False)

    op.create_table('accounting_payment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('journal_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('currency_code', sa.String(length=3), nullable=False),
    sa.Column('rate', sa.Numeric(precision=18, scale=8), nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=True),
    sa.Column('move_id', sa.Integer(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_accounting_payment_positive')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_accounting_payment_company_id_core_company')),
    sa.ForeignKeyConstraint(['journal_id'], ['accounting_journal.id'], name=op.f('fk_accounting_payment_journal_id_accounting_journal')),
    sa.ForeignKeyConstraint(['move_id'], ['accounting_move.id'], name=op.f('fk_accounting_payment_move_id_accounting_move')),
    sa.ForeignKeyConstraint(['partner_id'], ['contacts_partner.id'], name=op.f('fk_accounting_payment_partner_id_contacts_partner')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounting_payment'))
    )
    with op.batch_alter_table('accounting_payment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounting_payment_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_accounting_payment_partner_id'), ['partner_id'], unique=False)

    op.create_table('accounting_invoice_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=255), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=16, scale=4), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=18, scale=6), nullable=False),
    sa.Column('discount', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('subtotal', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('total', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounting_account.id'], name=op.f('fk_accounting_invoice_line_account_id_accounting_account')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_accounting_invoice_line_company_id_core_company')),
    sa.ForeignKeyConstraint(['invoice_id'], ['accounting_invoice.id'], name=op.f('fk_accounting_invoice_line_invoice_id_accounting_invoice')),
    sa.ForeignKeyConstraint(['product_id'], ['products_product.id'], name=op.f('fk_accounting_invoice_line_product_id_products_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounting_invoice_line'))
    )
    with op.batch_alter_table('accounting_invoice_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounting_invoice_line_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_accounting_invoice_line_invoice_id'), ['invoice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_accounting_invoice_line_product_id'), ['product_id'], unique=False)

    op.create_table('accounting_invoice_tax',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('tax_id', sa.Integer(), nullable=False),
    sa.Column('base', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_accounting_invoice_tax_company_id_core_company')),
    sa.ForeignKeyConstraint(['invoice_id'], ['accounting_invoice.id'], name=op.f('fk_accounting_invoice_tax_invoice_id_accounting_invoice')),
    sa.ForeignKeyConstraint(['tax_id'], ['accounting_tax.id'], name=op.f('fk_accounting_invoice_tax_tax_id_accounting_tax')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounting_invoice_tax')),
    sa.UniqueConstraint('invoice_id', 'tax_id', name=op.f('uq_accounting_invoice_tax_invoice_id_tax_id'))
    )
    with op.batch_alter_table('accounting_invoice_tax', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounting_invoice_tax_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_accounting_invoice_tax_invoice_id'), ['invoice_id'], unique=False)

    op.create_table('accounting_reconciliation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('debit_line_id', sa.Integer(), nullable=False),
    sa.Column('credit_line_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('amount_currency', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('exchange_move_id', sa.Integer(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_accounting_reconciliation_positive')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_accounting_reconciliation_company_id_core_company')),
    sa.ForeignKeyConstraint(['credit_line_id'], ['accounting_move_line.id'], name=op.f('fk_accounting_reconciliation_credit_line_id_accounting_move_line')),
    sa.ForeignKeyConstraint(['debit_line_id'], ['accounting_move_line.id'], name=op.f('fk_accounting_reconciliation_debit_line_id_accounting_move_line')),
    sa.ForeignKeyConstraint(['exchange_move_id'], ['accounting_move.id'], name=op.f('fk_accounting_reconciliation_exchange_move_id_accounting_move')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounting_reconciliation'))
    )
    with op.batch_alter_table('accounting_reconciliation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounting_reconciliation_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_accounting_reconciliation_credit_line_id'), ['credit_line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_accounting_reconciliation_debit_line_id'), ['debit_line_id'], unique=False)

    op.create_table('accounting_invoice_line_tax',
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('tax_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['line_id'], ['accounting_invoice_line.id'], name=op.f('fk_accounting_invoice_line_tax_line_id_accounting_invoice_line')),
    sa.ForeignKeyConstraint(['tax_id'], ['accounting_tax.id'], name=op.f('fk_accounting_invoice_line_tax_tax_id_accounting_tax')),
    sa.PrimaryKeyConstraint('line_id', 'tax_id', name=op.f('pk_accounting_invoice_line_tax'))
    )
    with op.batch_alter_table('accounting_invoice_line_tax', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounting_invoice_line_tax_tax_id'), ['tax_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('accounting_invoice_line_tax', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounting_invoice_line_tax_tax_id'))

    op.drop_table('accounting_invoice_line_tax')
    with op.batch_alter_table('accounting_reconciliation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounting_reconciliation_debit_line_id'))
        batch_op.drop_index(batch_op.f('ix_accounting_reconciliation_credit_line_id'))
        batch_op.drop_index(batch_op.f('ix_accounting_reconciliation_company_id'))

    op.drop_table('accounting_reconciliation')
    with op.batch_alter_table('accounting_invoice_tax', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounting_invoice_tax_invoice_id'))
        batch_op.drop_index(batch_op.f('ix_accounting_invoice_tax_company_id'))

    op.drop_table('accounting_invoice_tax')
    with op.batch_alter_table('accounting_invoice_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounting_invoice_line_product_id'))
        batch_op.drop_index(batch_op.f('ix_accounting_invoice_line_invoice_id'))
        batch_op.drop_index(batch_op.f('ix_accounting_invoice_line_company_id'))

    op.drop_table('accounting_invoice_line')
    with op.batch_alter_table('accounting_payment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounting_payment_partner_id'))
        batch_op.drop_index(batch_op.f('ix_accounting_payment_company_id'))

    op.drop_table('accounting_payment')
    with op.batch_alter_table('accounting_move_line', schema=None) as batch_op:
        batch_op.drop_index('ix_accounting_move_line_report')
        batch_op.drop_index(batch_op.f('ix_accounting_move_line_partner_id'))
        batch_op.drop_index('ix_accounting_move_line_open')
        batch_op.drop_index(batch_op.f('ix_accounting_move_line_move_id'))
        batch_op.drop_index(batch_op.f('ix_accounting_move_line_company_id'))

    op.drop_table('accounting_move_line')
    with op.batch_alter_table('accounting_invoice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounting_invoice_partner_id'))
        batch_op.drop_index(batch_op.f('ix_accounting_invoice_number'))
        batch_op.drop_index(batch_op.f('ix_accounting_invoice_company_id'))

    op.drop_table('accounting_invoice')
    with op.batch_alter_table('accounting_bank_statement_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounting_bank_statement_line_statement_id'))
        batch_op.drop_index(batch_op.f('ix_accounting_bank_statement_line_company_id'))

    op.drop_table('accounting_bank_statement_line')
    with op.batch_alter_table('accounting_settings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounting_settings_company_id'))

    op.drop_table('accounting_settings')
    with op.batch_alter_table('accounting_partner', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounting_partner_company_id'))

    op.drop_table('accounting_partner')
    with op.batch_alter_table('accounting_move', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounting_move_partner_id'))
        batch_op.drop_index(batch_op.f('ix_accounting_move_journal_id'))
        batch_op.drop_index(batch_op.f('ix_accounting_move_company_id'))
        batch_op.drop_index('ix_accounting_move_company_date')

    op.drop_table('accounting_move')
    with op.batch_alter_table('accounting_budget_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounting_budget_line_company_id'))
        batch_op.drop_index(batch_op.f('ix_accounting_budget_line_budget_id'))

    op.drop_table('accounting_budget_line')
    with op.batch_alter_table('accounting_bank_statement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounting_bank_statement_journal_id'))
        batch_op.drop_index(batch_op.f('ix_accounting_bank_statement_company_id'))

    op.drop_table('accounting_bank_statement')
    with op.batch_alter_table('accounting_tax', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounting_tax_company_id'))

    op.drop_table('accounting_tax')
    with op.batch_alter_table('accounting_period', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounting_period_fiscal_year_id'))
        batch_op.drop_index(batch_op.f('ix_accounting_period_company_id'))

    op.drop_table('accounting_period')
    with op.batch_alter_table('accounting_payment_term_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounting_payment_term_line_term_id'))
        batch_op.drop_index(batch_op.f('ix_accounting_payment_term_line_company_id'))

    op.drop_table('accounting_payment_term_line')
    with op.batch_alter_table('accounting_journal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounting_journal_company_id'))

    op.drop_table('accounting_journal')
    with op.batch_alter_table('accounting_budget', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounting_budget_company_id'))

    op.drop_table('accounting_budget')
    with op.batch_alter_table('accounting_payment_term', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounting_payment_term_company_id'))

    op.drop_table('accounting_payment_term')
    with op.batch_alter_table('accounting_fiscal_year', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounting_fiscal_year_company_id'))

    op.drop_table('accounting_fiscal_year')
    with op.batch_alter_table('accounting_currency_rate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounting_currency_rate_company_id'))

    op.drop_table('accounting_currency_rate')
    with op.batch_alter_table('accounting_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounting_account_company_id'))

    op.drop_table('accounting_account')
    op.drop_table('accounting_currency')
