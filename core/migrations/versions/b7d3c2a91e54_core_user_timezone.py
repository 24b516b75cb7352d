"""core: each user's time zone (dates and times shown in it)

Revision ID: b7d3c2a91e54
Revises: 2fecbf4b7744
Create Date: 2026-12-03 21:35:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = 'b7d3c2a91e54'
down_revision = 'd82bc48fc514'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('core_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('timezone', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('core_user', schema=None) as batch_op:
        batch_op.drop_column('timezone')
