"""core: jobs and outbox

core_job records background jobs (queued, running, done, failed) for core.jobs;
core_mail is the outbox of core.mail, each mail linked to the job that sends it.

Revision ID: 720879560512
Revises: 426307595242
Create Date: 2026-11-23 18:40:44.063342
"""
from alembic import op
import sqlalchemy as sa


revision = '720879560512'
down_revision = '426307595242'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('core_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('arguments', sa.JSON(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('error_detail', sa.Text(), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_job'))
    )
    with op.batch_alter_table('core_job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_job_name'), ['name'], unique=False)
        batch_op.create_index('ix_core_job_state_id', ['state', 'id'], unique=False)

    op.create_table('core_mail',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('to', sa.Text(), nullable=False),
    sa.Column('subject', sa.String(length=998), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=True),
    sa.Column('reference', sa.String(length=255), nullable=True),
    sa.Column('message_id', sa.String(length=255), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['core_job.id'], name=op.f('fk_core_mail_job_id_core_job'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_mail'))
    )
    with op.batch_alter_table('core_mail', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_mail_job_id'), ['job_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_mail_reference'), ['reference'], unique=False)
        batch_op.create_index('ix_core_mail_state_id', ['state', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('core_mail', schema=None) as batch_op:
        batch_op.drop_index('ix_core_mail_state_id')
        batch_op.drop_index(batch_op.f('ix_core_mail_reference'))
        batch_op.drop_index(batch_op.f('ix_core_mail_job_id'))

    op.drop_table('core_mail')
    with op.batch_alter_table('core_job', schema=None) as batch_op:
        batch_op.drop_index('ix_core_job_state_id')
        batch_op.drop_index(batch_op.f('ix_core_job_name'))

    op.drop_table('core_job')
