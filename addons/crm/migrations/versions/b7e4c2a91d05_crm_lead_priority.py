"""crm: an opportunity's priority (0 to 3 stars)

Revision ID: b7e4c2a91d05
Revises: 7d9cb71c55a8
Create Date: 2026-12-03 21:30:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = 'b7e4c2a91d05'
down_revision = '7d9cb71c55a8'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # existing leads have the normal priority; the default is only for them
    with op.batch_alter_table('crm_lead', schema=None) as batch_op:
        batch_op.add_column(sa.Column('priority', sa.String(length=1), nullable=False, server_default='0'))
    with op.batch_alter_table('crm_lead', schema=None) as batch_op:
        batch_op.alter_column('priority', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('crm_lead', schema=None) as batch_op:
        batch_op.drop_column('priority')
