"""hr: expense categories, claims and their lines

Revision ID: a83919732c66
Revises: a3a3e6568916
Create Date: 2026-12-04 13:36:13.891134
"""
from alembic import op
import sqlalchemy as sa


revision = 'a83919732c66'
down_revision = 'a3a3e6568916'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('hr_expense_category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_hr_expense_category_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_expense_category')),
    sa.UniqueConstraint('company_id', 'name', name=op.f('uq_hr_expense_category_company_id_name'))
    )
    with op.batch_alter_table('hr_expense_category', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hr_expense_category_company_id'), ['company_id'], unique=False)

    op.create_table('hr_expense_claim',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('description', sa.String(length=120), nullable=False),
    sa.Column('total', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('currency_code', sa.String(length=3), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('refusal', sa.Text(), nullable=True),
    sa.Column('reimbursed_on', sa.Date(), nullable=True),
    sa.Column('reimbursement_ref', sa.String(length=60), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_hr_expense_claim_company_id_core_company')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['core_user.id'], name=op.f('fk_hr_expense_claim_decided_by_id_core_user')),
    sa.ForeignKeyConstraint(['employee_id'], ['hr_employee.id'], name=op.f('fk_hr_expense_claim_employee_id_hr_employee')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_expense_claim'))
    )
    with op.batch_alter_table('hr_expense_claim', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hr_expense_claim_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hr_expense_claim_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index('ix_hr_expense_claim_state', ['company_id', 'state', 'date'], unique=False)

    op.create_table('hr_expense_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('description', sa.String(length=255), nullable=True),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_hr_expense_line_amount_positive')),
    sa.ForeignKeyConstraint(['category_id'], ['hr_expense_category.id'], name=op.f('fk_hr_expense_line_category_id_hr_expense_category')),
    sa.ForeignKeyConstraint(['claim_id'], ['hr_expense_claim.id'], name=op.f('fk_hr_expense_line_claim_id_hr_expense_claim')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_hr_expense_line_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_expense_line'))
    )
    with op.batch_alter_table('hr_expense_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hr_expense_line_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hr_expense_line_claim_id'), ['claim_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hr_expense_line_company_id'), ['company_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('hr_expense_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hr_expense_line_company_id'))
        batch_op.drop_index(batch_op.f('ix_hr_expense_line_claim_id'))
        batch_op.drop_index(batch_op.f('ix_hr_expense_line_category_id'))

    op.drop_table('hr_expense_line')
    with op.batch_alter_table('hr_expense_claim', schema=None) as batch_op:
        batch_op.drop_index('ix_hr_expense_claim_state')
        batch_op.drop_index(batch_op.f('ix_hr_expense_claim_employee_id'))
        batch_op.drop_index(batch_op.f('ix_hr_expense_claim_company_id'))

    op.drop_table('hr_expense_claim')
    with op.batch_alter_table('hr_expense_category', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hr_expense_category_company_id'))

    op.drop_table('hr_expense_category')
