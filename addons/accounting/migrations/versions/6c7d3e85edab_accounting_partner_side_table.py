"""accounting: the partner row is keyed by its partner and deleted with it (ON DELETE CASCADE)

The surrogate ``id`` and the unique constraint on ``partner_id`` give way to
``partner_id`` as the primary key, whose foreign key cascades, so deleting a
partner deletes its accounting row in the database. Every row is kept (SQLite
copies the table, PostgreSQL alters it in place).

Revision ID: 6c7d3e85edab
Revises: 6a1d6dc1299d
Create Date: 2026-12-05 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '6c7d3e85edab'
down_revision = '6a1d6dc1299d'
branch_labels = None
depends_on = None

PARTNER_FK = 'fk_accounting_partner_partner_id_contacts_partner'


def upgrade() -> None:
    with op.batch_alter_table('accounting_partner', schema=None) as batch_op:
        batch_op.drop_constraint('uq_accounting_partner_partner_id', type_='unique')
        batch_op.drop_constraint(PARTNER_FK, type_='foreignkey')
        batch_op.drop_constraint('pk_accounting_partner', type_='primary')
        batch_op.drop_column('id')
        batch_op.create_primary_key('pk_accounting_partner', ['partner_id'])
        batch_op.create_foreign_key(PARTNER_FK, 'contacts_partner', ['partner_id'], ['id'], ondelete='CASCADE')


def downgrade() -> None:
    with op.batch_alter_table('accounting_partner', schema=None) as batch_op:
        batch_op.drop_constraint(PARTNER_FK, type_='foreignkey')
        batch_op.drop_constraint('pk_accounting_partner', type_='primary')
        batch_op.add_column(sa.Column('id', sa.Integer(), sa.Identity(), nullable=False))
        batch_op.create_primary_key('pk_accounting_partner', ['id'])
        batch_op.create_unique_constraint('uq_accounting_partner_partner_id', ['partner_id'])
        batch_op.create_foreign_key(PARTNER_FK, 'contacts_partner', ['partner_id'], ['id'])
