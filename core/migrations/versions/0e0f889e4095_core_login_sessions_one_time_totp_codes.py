"""core: login sessions, one-time TOTP codes

Revision ID: 0e0f889e4095
Revises: 720879560512
Create Date: 2026-11-23 19:34:59.084839
"""
from alembic import op
import sqlalchemy as sa


revision = '0e0f889e4095'
down_revision = '720879560512'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('core_login_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['core_user.id'], name=op.f('fk_core_login_session_user_id_core_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_login_session')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_core_login_session_token_hash'))
    )
    with op.batch_alter_table('core_login_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_login_session_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('core_credential', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('core_credential', schema=None) as batch_op:
        batch_op.drop_column('totp_last_step')

    with op.batch_alter_table('core_login_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_login_session_user_id'))

    op.drop_table('core_login_session')
