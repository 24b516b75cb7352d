"""hr_accounting: expense category accounts, employee partners, claim postings

Revision ID: 90f0a2805a2e
Revises: 59342f2b3df6
Create Date: 2026-12-04 13:51:57.764326
"""
from alembic import op
import sqlalchemy as sa


revision = '90f0a2805a2e'
down_revision = '59342f2b3df6'
branch_labels = None
depends_on = ['a83919732c66']


def upgrade() -> None:
    op.create_table('hr_accounting_expense_category',
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounting_account.id'], name=op.f('fk_hr_accounting_expense_category_account_id_accounting_account')),
    sa.ForeignKeyConstraint(['category_id'], ['hr_expense_category.id'], name=op.f('fk_hr_accounting_expense_category_category_id_hr_expense_category'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_hr_accounting_expense_category_company_id_core_company')),
    sa.PrimaryKeyConstraint('category_id', name=op.f('pk_hr_accounting_expense_category'))
    )
    with op.batch_alter_table('hr_accounting_expense_category', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hr_accounting_expense_category_company_id'), ['company_id'], unique=False)

    op.create_table('hr_accounting_employee_partner',
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_hr_accounting_employee_partner_company_id_core_company')),
    sa.ForeignKeyConstraint(['employee_id'], ['hr_employee.id'], name=op.f('fk_hr_accounting_employee_partner_employee_id_hr_employee'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_id'], ['contacts_partner.id'], name=op.f('fk_hr_accounting_employee_partner_partner_id_contacts_partner')),
    sa.PrimaryKeyConstraint('employee_id', name=op.f('pk_hr_accounting_employee_partner'))
    )
    with op.batch_alter_table('hr_accounting_employee_partner', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hr_accounting_employee_partner_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hr_accounting_employee_partner_partner_id'), ['partner_id'], unique=False)

    op.create_table('hr_accounting_claim_posting',
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('move_id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['claim_id'], ['hr_expense_claim.id'], name=op.f('fk_hr_accounting_claim_posting_claim_id_hr_expense_claim'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_hr_accounting_claim_posting_company_id_core_company')),
    sa.ForeignKeyConstraint(['move_id'], ['accounting_move.id'], name=op.f('fk_hr_accounting_claim_posting_move_id_accounting_move')),
    sa.ForeignKeyConstraint(['payment_id'], ['accounting_payment.id'], name=op.f('fk_hr_accounting_claim_posting_payment_id_accounting_payment')),
    sa.PrimaryKeyConstraint('claim_id', name=op.f('pk_hr_accounting_claim_posting'))
    )
    with op.batch_alter_table('hr_accounting_claim_posting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hr_accounting_claim_posting_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hr_accounting_claim_posting_move_id'), ['move_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hr_accounting_claim_posting_payment_id'), ['payment_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('hr_accounting_claim_posting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hr_accounting_claim_posting_payment_id'))
        batch_op.drop_index(batch_op.f('ix_hr_accounting_claim_posting_move_id'))
        batch_op.drop_index(batch_op.f('ix_hr_accounting_claim_posting_company_id'))

    op.drop_table('hr_accounting_claim_posting')
    with op.batch_alter_table('hr_accounting_employee_partner', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hr_accounting_employee_partner_partner_id'))
        batch_op.drop_index(batch_op.f('ix_hr_accounting_employee_partner_company_id'))

    op.drop_table('hr_accounting_employee_partner')
    with op.batch_alter_table('hr_accounting_expense_category', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hr_accounting_expense_category_company_id'))

    op.drop_table('hr_accounting_expense_category')
