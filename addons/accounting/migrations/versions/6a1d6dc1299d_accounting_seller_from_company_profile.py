"""accounting: the seller's block comes from the company profile, not from a partner

Invoices and e-invoices used to print the address and tax id of the
partner named in ``accounting_settings.partner_id``. The core company now
has a profile of its own (core revision dee2af69c889), so this revision
copies that partner's address, tax id, email and phone into the profile
fields that are still empty (snapshots of the tables, never today's models:
the partner's ``street2`` comes with contacts' 0e4c13c41cb0), then drops
the column. Downgrading brings the column back empty.

Revision ID: 6a1d6dc1299d
Revises: 8d4e1b6c2a77
Create Date: 2026-12-02 22:31:19.557598
"""
from alembic import op
import sqlalchemy as sa


revision = '6a1d6dc1299d'
down_revision = '8d4e1b6c2a77'
branch_labels = None
depends_on = ['dee2af69c889', '0e4c13c41cb0']  # the profile columns; contacts' street2

#: the profile fields filled from the partner, with the company column's length
COPIED = {"street": 120, "street2": 120, "zip": 20, "city": 120, "country_code": 2, "vat": 40, "email": 254,
          "phone": 40}

company = sa.table("core_company", sa.column("id"), *(sa.column(name) for name in COPIED))
partner = sa.table("contacts_partner", sa.column("id"), *(sa.column(name) for name in COPIED))
settings = sa.table("accounting_settings", sa.column("company_id"), sa.column("partner_id"))


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(company.c.id, *(company.c[name].label(f"own_{name}") for name in COPIED),
                  *(partner.c[name] for name in COPIED))
        .select_from(settings.join(company, company.c.id == settings.c.company_id)
                     .join(partner, partner.c.id == settings.c.partner_id))).all()
    for row in rows:
        values = {name: row._mapping[name][:length] for name, length in COPIED.items()
                  if row._mapping[f"own_{name}"] is None and row._mapping[name]}
        if "country_code" in values:
            values["country_code"] = values["country_code"].upper()
        if values:
            connection.execute(sa.update(company).where(company.c.id == row.id).values(**values))
    with op.batch_alter_table('accounting_settings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_accounting_settings_partner_id_contacts_partner'), type_='foreignkey')
        batch_op.drop_column('partner_id')


def downgrade() -> None:
    with op.batch_alter_table('accounting_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('partner_id', sa.INTEGER(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_accounting_settings_partner_id_contacts_partner'),
                                    'contacts_partner', ['partner_id'], ['id'])
