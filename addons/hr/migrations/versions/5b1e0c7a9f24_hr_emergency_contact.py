"""hr: an employee's emergency contact and phone (encrypted, edited in My profile)

Revision ID: 5b1e0c7a9f24
Revises: 103528368669
Create Date: 2026-12-04 13:45:00
"""
from alembic import op
import sqlalchemy as sa


revision = '5b1e0c7a9f24'
down_revision = '103528368669'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('hr_employee_private', schema=None) as batch_op:
        batch_op.add_column(sa.Column('emergency_contact', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('emergency_phone', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('hr_employee_private', schema=None) as batch_op:
        batch_op.drop_column('emergency_phone')
        batch_op.drop_column('emergency_contact')
