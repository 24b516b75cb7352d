"""core: credentials apart, two-factor

Password hashes move from core_user to core_credential (granted to nobody, so no
user session can read them). A downgrade moves them back and drops TOTP secrets.

Revision ID: 426307595242
Revises: 4d76cd7361dc
Create Date: 2026-11-23 18:12:58.606935
"""
from alembic import op
import sqlalchemy as sa


revision = '426307595242'
down_revision = '4d76cd7361dc'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('core_credential',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('totp_secret', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['core_user.id'], name=op.f('fk_core_credential_user_id_core_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_core_credential'))
    )
    op.create_table('core_recovery_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('used', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['core_user.id'], name=op.f('fk_core_recovery_code_user_id_core_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_recovery_code'))
    )
    with op.batch_alter_table('core_recovery_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_recovery_code_user_id'), ['user_id'], unique=False)

    op.execute(
        "INSERT INTO core_credential (user_id, password_hash) "
        "SELECT id, password_hash FROM core_user WHERE password_hash IS NOT NULL"
    )
    with op.batch_alter_table('core_user', schema=None) as batch_op:
        batch_op.drop_column('password_hash')



def downgrade() -> None:
    with op.batch_alter_table('core_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('password_hash', sa.String(length=255), nullable=True))
    op.execute(
        "UPDATE core_user SET password_hash = "
        "(SELECT password_hash FROM core_credential WHERE core_credential.user_id = core_user.id)"
    )

    with op.batch_alter_table('core_recovery_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_recovery_code_user_id'))

    op.drop_table('core_recovery_code')
    op.drop_table('core_credential')
