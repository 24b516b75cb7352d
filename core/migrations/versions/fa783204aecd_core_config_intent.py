"""core: config intent

core_config_intent keeps the [addons] enabled a lifecycle command meant to write into its config
file, recorded in the command's transaction (see core.lifecycle.intent).

Revision ID: fa783204aecd
Revises: 0e0f889e4095
Create Date: 2026-12-02 18:28:07.332292
"""
from alembic import op
import sqlalchemy as sa


revision = 'fa783204aecd'
down_revision = '0e0f889e4095'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('core_config_intent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('config_key', sa.String(length=64), nullable=False),
    sa.Column('config_path', sa.Text(), nullable=False),
    sa.Column('enabled_before', sa.JSON(), nullable=False),
    sa.Column('enabled_after', sa.JSON(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_config_intent')),
    sa.UniqueConstraint('config_key', name=op.f('uq_core_config_intent_config_key'))
    )


def downgrade() -> None:
    op.drop_table('core_config_intent')
