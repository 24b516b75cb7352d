"""core: API keys and idempotent API answers

Revision ID: a4f1c2e3b5d6
Revises: 9a4e7c2d5b61
Create Date: 2026-12-04 17:30:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = 'a4f1c2e3b5d6'
down_revision = '9a4e7c2d5b61'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('core_api_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('scopes', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['core_user.id'], name=op.f('fk_core_api_key_user_id_core_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_api_key')),
    sa.UniqueConstraint('prefix', name=op.f('uq_core_api_key_prefix'))
    )
    with op.batch_alter_table('core_api_key', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_api_key_user_id'), ['user_id'], unique=False)
    op.create_table('core_api_idempotency',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('status', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['core_user.id'], name=op.f('fk_core_api_idempotency_user_id_core_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_api_idempotency')),
    sa.UniqueConstraint('user_id', 'key', name=op.f('uq_core_api_idempotency_user_id_key'))
    )
    with op.batch_alter_table('core_api_idempotency', schema=None) as batch_op:
        batch_op.create_index('ix_core_api_idempotency_expires_at', ['expires_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('core_api_idempotency', schema=None) as batch_op:
        batch_op.drop_index('ix_core_api_idempotency_expires_at')
    op.drop_table('core_api_idempotency')
    with op.batch_alter_table('core_api_key', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_api_key_user_id'))
    op.drop_table('core_api_key')
