"""hr: departments, positions, employees with encrypted private data, schedules, contracts, leave

Revision ID: 0d3754d7d5db
Revises: 
Create Date: 2026-12-03 21:30:51.426178
"""
from alembic import op
import sqlalchemy as sa


revision = '0d3754d7d5db'
down_revision = None
branch_labels = ('hr',)
depends_on = ['4d76cd7361dc', '6841b6a662f3']


def upgrade() -> None:
    op.create_table('hr_department',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('manager_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_hr_department_company_id_core_company')),
    sa.ForeignKeyConstraint(['parent_id'], ['hr_department.id'], name=op.f('fk_hr_department_parent_id_hr_department')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_department')),
    sa.UniqueConstraint('company_id', 'parent_id', 'name', name=op.f('uq_hr_department_company_id_parent_id_name'))
    )
    with op.batch_alter_table('hr_department', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hr_department_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hr_department_manager_id'), ['manager_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hr_department_parent_id'), ['parent_id'], unique=False)

    op.create_table('hr_leave_type',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('needs_allocation', sa.Boolean(), nullable=False),
    sa.Column('approver', sa.String(length=8), nullable=False),
    sa.Column('paid', sa.Boolean(), nullable=False),
    sa.Column('accrual_days_per_month', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('max_carry_over_days', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_hr_leave_type_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_leave_type')),
    sa.UniqueConstraint('company_id', 'name', name=op.f('uq_hr_leave_type_company_id_name'))
    )
    with op.batch_alter_table('hr_leave_type', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hr_leave_type_company_id'), ['company_id'], unique=False)

    op.create_table('hr_public_holiday',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('region', sa.String(length=10), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_hr_public_holiday_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_public_holiday')),
    sa.UniqueConstraint('company_id', 'date', 'region', name=op.f('uq_hr_public_holiday_company_id_date_region'))
    )
    with op.batch_alter_table('hr_public_holiday', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hr_public_holiday_company_id'), ['company_id'], unique=False)

    op.create_table('hr_schedule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('monday_hours', sa.Numeric(precision=4, scale=2), nullable=False),
    sa.Column('tuesday_hours', sa.Numeric(precision=4, scale=2), nullable=False),
    sa.Column('wednesday_hours', sa.Numeric(precision=4, scale=2), nullable=False),
    sa.Column('thursday_hours', sa.Numeric(precision=4, scale=2), nullable=False),
    sa.Column('friday_hours', sa.Numeric(precision=4, scale=2), nullable=False),
    sa.Column('saturday_hours', sa.Numeric(precision=4, scale=2), nullable=False),
    sa.Column('sunday_hours', sa.Numeric(precision=4, scale=2), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('friday_hours >= 0 AND friday_hours <= 24', name=op.f('ck_hr_schedule_friday_hours_in_a_day')),
    sa.CheckConstraint('monday_hours >= 0 AND monday_hours <= 24', name=op.f('ck_hr_schedule_monday_hours_in_a_day')),
    sa.CheckConstraint('saturday_hours >= 0 AND saturday_hours <= 24', name=op.f('ck_hr_schedule_saturday_hours_in_a_day')),
    sa.CheckConstraint('sunday_hours >= 0 AND sunday_hours <= 24', name=op.f('ck_hr_schedule_sunday_hours_in_a_day')),
    sa.CheckConstraint('thursday_hours >= 0 AND thursday_hours <= 24', name=op.f('ck_hr_schedule_thursday_hours_in_a_day')),
    sa.CheckConstraint('tuesday_hours >= 0 AND tuesday_hours <= 24', name=op.f('ck_hr_schedule_tuesday_hours_in_a_day')),
    sa.CheckConstraint('wednesday_hours >= 0 AND wednesday_hours <= 24', name=op.f('ck_hr_schedule_wednesday_hours_in_a_day')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_hr_schedule_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_schedule')),
    sa.UniqueConstraint('company_id', 'name', name=op.f('uq_hr_schedule_company_id_name'))
    )
    with op.batch_alter_table('hr_schedule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hr_schedule_company_id'), ['company_id'], unique=False)

    op.create_table('hr_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_hr_job_company_id_core_company')),
    sa.ForeignKeyConstraint(['department_id'], ['hr_department.id'], name=op.f('fk_hr_job_department_id_hr_department')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_job')),
    sa.UniqueConstraint('company_id', 'name', name=op.f('uq_hr_job_company_id_name'))
    )
    with op.batch_alter_table('hr_job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hr_job_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hr_job_department_id'), ['department_id'], unique=False)

    op.create_table('hr_employee',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('manager_id', sa.Integer(), nullable=True),
    sa.Column('work_email', sa.String(length=255), nullable=True),
    sa.Column('work_phone', sa.String(length=40), nullable=True),
    sa.Column('mobile_phone', sa.String(length=40), nullable=True),
    sa.Column('country_code', sa.String(length=2), nullable=True),
    sa.Column('region', sa.String(length=10), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_hr_employee_company_id_core_company')),
    sa.ForeignKeyConstraint(['department_id'], ['hr_department.id'], name=op.f('fk_hr_employee_department_id_hr_department')),
    sa.ForeignKeyConstraint(['job_id'], ['hr_job.id'], name=op.f('fk_hr_employee_job_id_hr_job')),
    sa.ForeignKeyConstraint(['manager_id'], ['hr_employee.id'], name=op.f('fk_hr_employee_manager_id_hr_employee')),
    sa.ForeignKeyConstraint(['user_id'], ['core_user.id'], name=op.f('fk_hr_employee_user_id_core_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_employee')),
    sa.UniqueConstraint('company_id', 'user_id', name=op.f('uq_hr_employee_company_id_user_id'))
    )
    with op.batch_alter_table('hr_employee', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hr_employee_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hr_employee_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hr_employee_job_id'), ['job_id'], unique=False)
        batch_op.create_index('ix_hr_employee_list', ['company_id', 'name', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hr_employee_manager_id'), ['manager_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hr_employee_user_id'), ['user_id'], unique=False)

    # A department's manager is an employee, who belongs to a department: the
    # cycle means this key can only be added once both tables exist.
    with op.batch_alter_table('hr_department', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_hr_department_manager_id_hr_employee'), 'hr_employee', ['manager_id'], ['id'])

    op.create_table('hr_contract',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('date_start', sa.Date(), nullable=False),
    sa.Column('date_end', sa.Date(), nullable=True),
    sa.Column('wage', sa.Text(), nullable=False),
    sa.Column('schedule_id', sa.Integer(), nullable=True),
    sa.Column('cost_centre', sa.String(length=40), nullable=True),
    sa.Column('state', sa.String(length=8), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('date_end IS NULL OR date_end >= date_start', name=op.f('ck_hr_contract_ends_after_start')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_hr_contract_company_id_core_company')),
    sa.ForeignKeyConstraint(['employee_id'], ['hr_employee.id'], name=op.f('fk_hr_contract_employee_id_hr_employee')),
    sa.ForeignKeyConstraint(['schedule_id'], ['hr_schedule.id'], name=op.f('fk_hr_contract_schedule_id_hr_schedule')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_contract'))
    )
    with op.batch_alter_table('hr_contract', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hr_contract_company_id'), ['company_id'], unique=False)
        batch_op.create_index('ix_hr_contract_employee_dates', ['employee_id', 'date_start'], unique=False)
        batch_op.create_index(batch_op.f('ix_hr_contract_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hr_contract_schedule_id'), ['schedule_id'], unique=False)

    op.create_table('hr_employee_private',
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('national_id', sa.Text(), nullable=True),
    sa.Column('social_security_number', sa.Text(), nullable=True),
    sa.Column('bank_account', sa.Text(), nullable=True),
    sa.Column('private_email', sa.Text(), nullable=True),
    sa.Column('private_phone', sa.Text(), nullable=True),
    sa.Column('private_address', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_hr_employee_private_company_id_core_company')),
    sa.ForeignKeyConstraint(['employee_id'], ['hr_employee.id'], name=op.f('fk_hr_employee_private_employee_id_hr_employee'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('employee_id', name=op.f('pk_hr_employee_private'))
    )
    with op.batch_alter_table('hr_employee_private', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hr_employee_private_company_id'), ['company_id'], unique=False)

    op.create_table('hr_leave',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('leave_type_id', sa.Integer(), nullable=False),
    sa.Column('date_from', sa.Date(), nullable=False),
    sa.Column('date_to', sa.Date(), nullable=False),
    sa.Column('days', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('refusal', sa.Text(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('date_to >= date_from', name=op.f('ck_hr_leave_ends_after_start')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_hr_leave_company_id_core_company')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['core_user.id'], name=op.f('fk_hr_leave_decided_by_id_core_user')),
    sa.ForeignKeyConstraint(['employee_id'], ['hr_employee.id'], name=op.f('fk_hr_leave_employee_id_hr_employee')),
    sa.ForeignKeyConstraint(['leave_type_id'], ['hr_leave_type.id'], name=op.f('fk_hr_leave_leave_type_id_hr_leave_type')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_leave'))
    )
    with op.batch_alter_table('hr_leave', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hr_leave_company_id'), ['company_id'], unique=False)
        batch_op.create_index('ix_hr_leave_employee_dates', ['employee_id', 'date_from', 'date_to'], unique=False)
        batch_op.create_index(batch_op.f('ix_hr_leave_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hr_leave_leave_type_id'), ['leave_type_id'], unique=False)
        batch_op.create_index('ix_hr_leave_pending', ['company_id', 'state', 'created_at'], unique=False)

    op.create_table('hr_leave_allocation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('leave_type_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('days', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('carried_over', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('accrued_until', sa.Date(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('days >= 0', name=op.f('ck_hr_leave_allocation_days_not_negative')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_hr_leave_allocation_company_id_core_company')),
    sa.ForeignKeyConstraint(['employee_id'], ['hr_employee.id'], name=op.f('fk_hr_leave_allocation_employee_id_hr_employee')),
    sa.ForeignKeyConstraint(['leave_type_id'], ['hr_leave_type.id'], name=op.f('fk_hr_leave_allocation_leave_type_id_hr_leave_type')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hr_leave_allocation')),
    sa.UniqueConstraint('employee_id', 'leave_type_id', 'year', name=op.f('uq_hr_leave_allocation_employee_id_leave_type_id_year'))
    )
    with op.batch_alter_table('hr_leave_allocation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hr_leave_allocation_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hr_leave_allocation_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hr_leave_allocation_leave_type_id'), ['leave_type_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('hr_leave_allocation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hr_leave_allocation_leave_type_id'))
        batch_op.drop_index(batch_op.f('ix_hr_leave_allocation_employee_id'))
        batch_op.drop_index(batch_op.f('ix_hr_leave_allocation_company_id'))

    op.drop_table('hr_leave_allocation')
    with op.batch_alter_table('hr_leave', schema=None) as batch_op:
        batch_op.drop_index('ix_hr_leave_pending')
        batch_op.drop_index(batch_op.f('ix_hr_leave_leave_type_id'))
        batch_op.drop_index(batch_op.f('ix_hr_leave_employee_id'))
        batch_op.drop_index('ix_hr_leave_employee_dates')
        batch_op.drop_index(batch_op.f('ix_hr_leave_company_id'))

    op.drop_table('hr_leave')
    with op.batch_alter_table('hr_employee_private', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hr_employee_private_company_id'))

    op.drop_table('hr_employee_private')
    with op.batch_alter_table('hr_contract', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hr_contract_schedule_id'))
        batch_op.drop_index(batch_op.f('ix_hr_contract_employee_id'))
        batch_op.drop_index('ix_hr_contract_employee_dates')
        batch_op.drop_index(batch_op.f('ix_hr_contract_company_id'))

    op.drop_table('hr_contract')
    with op.batch_alter_table('hr_department', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_hr_department_manager_id_hr_employee'), type_='foreignkey')

    with op.batch_alter_table('hr_employee', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hr_employee_user_id'))
        batch_op.drop_index(batch_op.f('ix_hr_employee_manager_id'))
        batch_op.drop_index('ix_hr_employee_list')
        batch_op.drop_index(batch_op.f('ix_hr_employee_job_id'))
        batch_op.drop_index(batch_op.f('ix_hr_employee_department_id'))
        batch_op.drop_index(batch_op.f('ix_hr_employee_company_id'))

    op.drop_table('hr_employee')
    with op.batch_alter_table('hr_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hr_job_department_id'))
        batch_op.drop_index(batch_op.f('ix_hr_job_company_id'))

    op.drop_table('hr_job')
    with op.batch_alter_table('hr_schedule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hr_schedule_company_id'))

    op.drop_table('hr_schedule')
    with op.batch_alter_table('hr_public_holiday', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hr_public_holiday_company_id'))

    op.drop_table('hr_public_holiday')
    with op.batch_alter_table('hr_leave_type', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hr_leave_type_company_id'))

    op.drop_table('hr_leave_type')
    with op.batch_alter_table('hr_department', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hr_department_parent_id'))
        batch_op.drop_index(batch_op.f('ix_hr_department_manager_id'))
        batch_op.drop_index(batch_op.f('ix_hr_department_company_id'))

    op.drop_table('hr_department')
