"""contacts: partners

Revision ID: 6841b6a662f3
Revises: 
Create Date: 2026-11-23 18:00:41.095704
"""
from alembic import op
import sqlalchemy as sa


revision = '6841b6a662f3'
down_revision = None
branch_labels = ('contacts',)
depends_on = '4d76cd7361dc'


def upgrade() -> None:
    op.create_table('contacts_partner',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('is_company', sa.Boolean(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=255), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('street', sa.String(length=255), nullable=True),
    sa.Column('city', sa.String(length=120), nullable=True),
    sa.Column('zip', sa.String(length=20), nullable=True),
    sa.Column('country_code', sa.String(length=2), nullable=True),
    sa.Column('vat', sa.String(length=40), nullable=True),
    sa.Column('lang', sa.String(length=8), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_contacts_partner_company_id_core_company')),
    sa.ForeignKeyConstraint(['parent_id'], ['contacts_partner.id'], name=op.f('fk_contacts_partner_parent_id_contacts_partner')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts_partner'))
    )
    with op.batch_alter_table('contacts_partner', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contacts_partner_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_partner_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_partner_parent_id'), ['parent_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('contacts_partner', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contacts_partner_parent_id'))
        batch_op.drop_index(batch_op.f('ix_contacts_partner_name'))
        batch_op.drop_index(batch_op.f('ix_contacts_partner_company_id'))

    op.drop_table('contacts_partner')
