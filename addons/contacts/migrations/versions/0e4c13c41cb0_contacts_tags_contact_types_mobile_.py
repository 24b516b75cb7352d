"""contacts: tags, contact types, mobile, salesperson, import hash

Revision ID: 0e4c13c41cb0
Revises: 6841b6a662f3
Create Date: 2026-11-23 18:56:05.746886
"""
from alembic import op
import sqlalchemy as sa


revision = '0e4c13c41cb0'
down_revision = '6841b6a662f3'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('contacts_tag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_contacts_tag_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts_tag')),
    sa.UniqueConstraint('company_id', 'name', name=op.f('uq_contacts_tag_company_id_name'))
    )
    with op.batch_alter_table('contacts_tag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contacts_tag_company_id'), ['company_id'], unique=False)

    op.create_table('contacts_partner_tag',
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['contacts_partner.id'], name=op.f('fk_contacts_partner_tag_partner_id_contacts_partner')),
    sa.ForeignKeyConstraint(['tag_id'], ['contacts_tag.id'], name=op.f('fk_contacts_partner_tag_tag_id_contacts_tag')),
    sa.PrimaryKeyConstraint('partner_id', 'tag_id', name=op.f('pk_contacts_partner_tag'))
    )
    with op.batch_alter_table('contacts_partner_tag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contacts_partner_tag_tag_id'), ['tag_id'], unique=False)

    with op.batch_alter_table('contacts_partner', schema=None) as batch_op:
        batch_op.add_column(sa.Column('type', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('mobile', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('street2', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('salesperson_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('import_hash', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_contacts_partner_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_partner_import_hash'), ['import_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_partner_salesperson_id'), ['salesperson_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_partner_vat'), ['vat'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_contacts_partner_salesperson_id_core_user'), 'core_user', ['salesperson_id'], ['id'])

    # the people already working at a company are its contacts
    op.execute("UPDATE contacts_partner SET type = 'contact' WHERE parent_id IS NOT NULL")



def downgrade() -> None:
    with op.batch_alter_table('contacts_partner', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_contacts_partner_salesperson_id_core_user'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_contacts_partner_vat'))
        batch_op.drop_index(batch_op.f('ix_contacts_partner_salesperson_id'))
        batch_op.drop_index(batch_op.f('ix_contacts_partner_import_hash'))
        batch_op.drop_index(batch_op.f('ix_contacts_partner_email'))
        batch_op.drop_column('import_hash')
        batch_op.drop_column('salesperson_id')
        batch_op.drop_column('street2')
        batch_op.drop_column('mobile')
        batch_op.drop_column('type')

    with op.batch_alter_table('contacts_partner_tag', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contacts_partner_tag_tag_id'))

    op.drop_table('contacts_partner_tag')
    with op.batch_alter_table('contacts_tag', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contacts_tag_company_id'))

    op.drop_table('contacts_tag')
