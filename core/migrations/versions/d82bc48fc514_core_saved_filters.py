"""core: saved list filters

Revision ID: d82bc48fc514
Revises: 2fecbf4b7744
Create Date: 2026-12-03 21:20:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = 'd82bc48fc514'
down_revision = 'b7c41e2d9a53'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('core_saved_filter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('view', sa.String(length=120), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('query', sa.Text(), nullable=False),
    sa.Column('shared', sa.Boolean(), nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_core_saved_filter_company_id_core_company')),
    sa.ForeignKeyConstraint(['user_id'], ['core_user.id'], name=op.f('fk_core_saved_filter_user_id_core_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_saved_filter'))
    )
    with op.batch_alter_table('core_saved_filter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_saved_filter_company_id'), ['company_id'], unique=False)
        batch_op.create_index('ix_core_saved_filter_view_user', ['view', 'user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('core_saved_filter', schema=None) as batch_op:
        batch_op.drop_index('ix_core_saved_filter_view_user')
        batch_op.drop_index(batch_op.f('ix_core_saved_filter_company_id'))

    op.drop_table('core_saved_filter')
