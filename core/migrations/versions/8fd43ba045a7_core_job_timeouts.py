"""core: job timeouts (a running job past its timeout is taken back)

Revision ID: 8fd43ba045a7
Revises: fa783204aecd
Create Date: 2026-12-02 18:40:26.435001
"""
from alembic import op
import sqlalchemy as sa


revision = '8fd43ba045a7'
down_revision = 'fa783204aecd'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('core_job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('timeout_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('core_job', schema=None) as batch_op:
        batch_op.drop_column('timeout_at')
