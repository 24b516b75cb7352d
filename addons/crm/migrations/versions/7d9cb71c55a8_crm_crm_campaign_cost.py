"""crm: what a campaign cost

Revision ID: 7d9cb71c55a8
Revises: 663b5c5460eb
Create Date: 2026-12-03 17:32:26.691240
"""
from alembic import op
import sqlalchemy as sa


revision = '7d9cb71c55a8'
down_revision = '663b5c5460eb'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # existing campaigns cost nothing recorded yet; the default is only for them
    with op.batch_alter_table('crm_campaign', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cost', sa.Numeric(precision=18, scale=2), nullable=False, server_default='0'))
    with op.batch_alter_table('crm_campaign', schema=None) as batch_op:
        batch_op.alter_column('cost', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('crm_campaign', schema=None) as batch_op:
        batch_op.drop_column('cost')
