"""contacts: the duplicate search's match keys on partners and the pairs they match, backfilled

Revision ID: efc699aabdc8
Revises: 1f71f80a9a6b
Create Date: 2026-12-03 21:25:00.000000

The keys and pairs are computed by the addon's own matching code (the same
normalization the services apply on every later write), on the migration's
connection, for every partner present.
"""
from alembic import op
import sqlalchemy as sa


revision = 'efc699aabdc8'
down_revision = '1f71f80a9a6b'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('contacts_partner', schema=None) as batch_op:
        batch_op.add_column(sa.Column('match_name', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('match_block', sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column('match_email', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('match_vat', sa.String(length=48), nullable=True))
        batch_op.create_index('ix_contacts_partner_match_name', ['company_id', 'match_name'], unique=False)
        batch_op.create_index('ix_contacts_partner_match_block', ['company_id', 'match_block'], unique=False)
        batch_op.create_index('ix_contacts_partner_match_email', ['company_id', 'match_email'], unique=False)
        batch_op.create_index('ix_contacts_partner_match_vat', ['company_id', 'match_vat'], unique=False)

    op.create_table('contacts_partner_match',
    sa.Column('first_id', sa.Integer(), nullable=False),
    sa.Column('second_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['first_id'], ['contacts_partner.id'], name=op.f('fk_contacts_partner_match_first_id_contacts_partner'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['second_id'], ['contacts_partner.id'], name=op.f('fk_contacts_partner_match_second_id_contacts_partner'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('first_id', 'second_id', 'reason', name=op.f('pk_contacts_partner_match'))
    )
    with op.batch_alter_table('contacts_partner_match', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contacts_partner_match_second_id'), ['second_id'], unique=False)

    from addons.contacts.matching import backfill_match_keys

    backfill_match_keys(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table('contacts_partner_match', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contacts_partner_match_second_id'))
    op.drop_table('contacts_partner_match')
    with op.batch_alter_table('contacts_partner', schema=None) as batch_op:
        batch_op.drop_index('ix_contacts_partner_match_vat')
        batch_op.drop_index('ix_contacts_partner_match_email')
        batch_op.drop_index('ix_contacts_partner_match_block')
        batch_op.drop_index('ix_contacts_partner_match_name')
        batch_op.drop_column('match_vat')
        batch_op.drop_column('match_email')
        batch_op.drop_column('match_block')
        batch_op.drop_column('match_name')
