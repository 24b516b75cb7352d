"""core: incoming mail: mail aliases, received mail, the sender of a received email on the timeline

Revision ID: 3c8e1f5a7b20
Revises: d9c6ff0ae11f
Create Date: 2026-12-04 13:50:00
"""
from alembic import op
import sqlalchemy as sa


revision = '3c8e1f5a7b20'
down_revision = 'd9c6ff0ae11f'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('core_mail_alias',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('local_part', sa.String(length=64), nullable=False),
    sa.Column('domain', sa.String(length=255), nullable=False),
    sa.Column('target', sa.String(length=64), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_core_mail_alias_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_mail_alias')),
    sa.UniqueConstraint('local_part', 'domain', name=op.f('uq_core_mail_alias_local_part_domain'))
    )
    with op.batch_alter_table('core_mail_alias', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_mail_alias_company_id'), ['company_id'], unique=False)

    op.create_table('core_received_mail',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.String(length=255), nullable=False),
    sa.Column('sender', sa.String(length=255), nullable=True),
    sa.Column('recipients', sa.Text(), nullable=True),
    sa.Column('subject', sa.String(length=998), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('automatic', sa.Boolean(), nullable=False),
    sa.Column('res_model', sa.String(length=64), nullable=True),
    sa.Column('res_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_received_mail')),
    sa.UniqueConstraint('message_id', name=op.f('uq_core_received_mail_message_id'))
    )
    with op.batch_alter_table('core_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sender', sa.String(length=255), nullable=True))
    with op.batch_alter_table('core_mail', schema=None) as batch_op:
        batch_op.add_column(sa.Column('auto_submitted', sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('core_mail', schema=None) as batch_op:
        batch_op.drop_column('auto_submitted')
    with op.batch_alter_table('core_message', schema=None) as batch_op:
        batch_op.drop_column('sender')
    op.drop_table('core_received_mail')
    with op.batch_alter_table('core_mail_alias', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_mail_alias_company_id'))
    op.drop_table('core_mail_alias')
