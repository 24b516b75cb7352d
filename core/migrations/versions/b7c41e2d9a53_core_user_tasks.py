"""core: users' long tasks (imports and exports on the job queue)

Revision ID: b7c41e2d9a53
Revises: 2fecbf4b7744
Create Date: 2026-12-03 21:20:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = 'b7c41e2d9a53'
down_revision = '2fecbf4b7744'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('core_user_task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('view', sa.String(length=128), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('cancel_requested', sa.Boolean(), nullable=False),
    sa.Column('arguments', sa.JSON(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=True),
    sa.Column('expires_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['core_job.id'], name=op.f('fk_core_user_task_job_id_core_job'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['core_user.id'], name=op.f('fk_core_user_task_user_id_core_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_user_task'))
    )
    with op.batch_alter_table('core_user_task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_user_task_job_id'), ['job_id'], unique=False)
        batch_op.create_index('ix_core_user_task_user_id_id', ['user_id', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('core_user_task', schema=None) as batch_op:
        batch_op.drop_index('ix_core_user_task_user_id_id')
        batch_op.drop_index(batch_op.f('ix_core_user_task_job_id'))

    op.drop_table('core_user_task')
