"""core: webhook subscriptions and their delivery log

Revision ID: 9a4e7c2d5b61
Revises: 6d2b9e4f1a37
Create Date: 2026-12-04 17:20:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '9a4e7c2d5b61'
down_revision = '6d2b9e4f1a37'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('core_webhook',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('events', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('secret', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'],
                            name=op.f('fk_core_webhook_company_id_core_company')),
    sa.ForeignKeyConstraint(['owner_id'], ['core_user.id'], name=op.f('fk_core_webhook_owner_id_core_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_webhook'))
    )
    with op.batch_alter_table('core_webhook', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_webhook_company_id'), ['company_id'], unique=False)

    op.create_table('core_webhook_delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('event', sa.String(length=128), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('record_table', sa.String(length=128), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('response_status', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('last_attempt_at', sa.DateTime(), nullable=True),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('history', sa.JSON(), nullable=False),
    sa.Column('replay_of_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['replay_of_id'], ['core_webhook_delivery.id'],
                            name=op.f('fk_core_webhook_delivery_replay_of_id_core_webhook_delivery'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['subscription_id'], ['core_webhook.id'],
                            name=op.f('fk_core_webhook_delivery_subscription_id_core_webhook'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_webhook_delivery')),
    sa.UniqueConstraint('uid', name=op.f('uq_core_webhook_delivery_uid'))
    )
    with op.batch_alter_table('core_webhook_delivery', schema=None) as batch_op:
        batch_op.create_index('ix_core_webhook_delivery_subscription_id_id', ['subscription_id', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('core_webhook_delivery', schema=None) as batch_op:
        batch_op.drop_index('ix_core_webhook_delivery_subscription_id_id')

    op.drop_table('core_webhook_delivery')
    with op.batch_alter_table('core_webhook', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_webhook_company_id'))

    op.drop_table('core_webhook')
