"""core: base tables

Revision ID: 4d76cd7361dc
Revises: 
Create Date: 2026-11-23 17:59:05.848817
"""
from alembic import op
import sqlalchemy as sa


revision = '4d76cd7361dc'
down_revision = None
branch_labels = ('core',)
depends_on = None


def upgrade() -> None:
    op.create_table('core_addon',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('version', sa.String(length=32), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_core_addon'))
    )
    op.create_table('core_company',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('currency_code', sa.String(length=3), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_company')),
    sa.UniqueConstraint('name', name=op.f('uq_core_company_name'))
    )
    op.create_table('core_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('addon', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_group')),
    sa.UniqueConstraint('key', name=op.f('uq_core_group_key'))
    )
    op.create_table('core_sequence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('next_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_core_sequence_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_sequence')),
    sa.UniqueConstraint('company_id', 'key', 'period', name=op.f('uq_core_sequence_company_id_key_period'))
    )
    op.create_table('core_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('login', sa.String(length=120), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=255), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('lang', sa.String(length=8), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_core_user_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_user')),
    sa.UniqueConstraint('login', name=op.f('uq_core_user_login'))
    )
    op.create_table('core_audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('table_name', sa.String(length=64), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=8), nullable=False),
    sa.Column('field', sa.String(length=64), nullable=True),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['core_user.id'], name=op.f('fk_core_audit_log_user_id_core_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_audit_log'))
    )
    with op.batch_alter_table('core_audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_core_audit_log_record', ['table_name', 'record_id'], unique=False)

    op.create_table('core_user_company',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_core_user_company_company_id_core_company'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['core_user.id'], name=op.f('fk_core_user_company_user_id_core_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'company_id', name=op.f('pk_core_user_company'))
    )
    op.create_table('core_user_group',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['core_group.id'], name=op.f('fk_core_user_group_group_id_core_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['core_user.id'], name=op.f('fk_core_user_group_user_id_core_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'group_id', name=op.f('pk_core_user_group'))
    )


def downgrade() -> None:
    op.drop_table('core_user_group')
    op.drop_table('core_user_company')
    with op.batch_alter_table('core_audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_core_audit_log_record')

    op.drop_table('core_audit_log')
    op.drop_table('core_user')
    op.drop_table('core_sequence')
    op.drop_table('core_group')
    op.drop_table('core_company')
    op.drop_table('core_addon')
