"""core: company profile (address, tax id, IBAN, email, phone, website, logo, language)

Revision ID: dee2af69c889
Revises: 17318a989add
Create Date: 2026-12-02 22:25:51.722311
"""
from alembic import op
import sqlalchemy as sa


revision = 'dee2af69c889'
down_revision = '17318a989add'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('core_company', schema=None) as batch_op:
        batch_op.add_column(sa.Column('street', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('street2', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('zip', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('city', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('province', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('vat', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('iban', sa.String(length=34), nullable=True))
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('phone', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('website', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('lang', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('logo', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('logo_type', sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('core_company', schema=None) as batch_op:
        batch_op.drop_column('logo_type')
        batch_op.drop_column('logo')
        batch_op.drop_column('lang')
        batch_op.drop_column('website')
        batch_op.drop_column('phone')
        batch_op.drop_column('email')
        batch_op.drop_column('iban')
        batch_op.drop_column('vat')
        batch_op.drop_column('province')
        batch_op.drop_column('city')
        batch_op.drop_column('zip')
        batch_op.drop_column('street2')
        batch_op.drop_column('street')
