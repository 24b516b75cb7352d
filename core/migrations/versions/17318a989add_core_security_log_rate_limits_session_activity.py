"""core: security log, shared rate-limit counters, login session activity

Revision ID: 17318a989add
Revises: 8fd43ba045a7
Create Date: 2026-12-02 18:27:47.619313
"""
from alembic import op
import sqlalchemy as sa


revision = '17318a989add'
down_revision = '8fd43ba045a7'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('core_rate_limit',
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_core_rate_limit'))
    )
    with op.batch_alter_table('core_rate_limit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_rate_limit_expires_at'), ['expires_at'], unique=False)

    op.create_table('core_security_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('login', sa.String(length=120), nullable=True),
    sa.Column('ip', sa.String(length=45), nullable=True),
    sa.Column('user_agent', sa.String(length=255), nullable=True),
    sa.Column('detail', sa.String(length=1000), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['core_user.id'], name=op.f('fk_core_security_event_user_id_core_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_security_event'))
    )
    with op.batch_alter_table('core_security_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_security_event_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_security_event_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_security_event_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('core_login_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_seen_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('ip', sa.String(length=45), nullable=True))
        batch_op.add_column(sa.Column('user_agent', sa.String(length=255), nullable=True))
    sessions = sa.table('core_login_session', sa.column('created_at', sa.DateTime()),
                        sa.column('last_seen_at', sa.DateTime()))
    op.execute(sessions.update().values(last_seen_at=sessions.c.created_at))  # open sessions were seen at login
    with op.batch_alter_table('core_login_session', schema=None) as batch_op:
        batch_op.alter_column('last_seen_at', existing_type=sa.DateTime(), nullable=False)



def downgrade() -> None:
    with op.batch_alter_table('core_login_session', schema=None) as batch_op:
        batch_op.drop_column('user_agent')
        batch_op.drop_column('ip')
        batch_op.drop_column('last_seen_at')

    with op.batch_alter_table('core_security_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_security_event_user_id'))
        batch_op.drop_index(batch_op.f('ix_core_security_event_kind'))
        batch_op.drop_index(batch_op.f('ix_core_security_event_at'))

    op.drop_table('core_security_event')
    with op.batch_alter_table('core_rate_limit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_rate_limit_expires_at'))

    op.drop_table('core_rate_limit')
