"""accounting: back-fill books for existing companies and accounting rows for existing partners

Installing accounting on a database that already holds companies and
partners (e.g. one running CRM) gives every company its books, with the
chart of its country, and every partner its receivable and payable
accounts. Later companies and partners get theirs from the services.
Nothing to undo: the base revision's downgrade drops these tables.

Revision ID: 8d4e1b6c2a77
Revises: 3f7a9c2e5b10
Create Date: 2026-12-01 13:25:00
"""
from alembic import op
from sqlalchemy import select
from sqlalchemy.orm import Session

revision = '8d4e1b6c2a77'
down_revision = '3f7a9c2e5b10'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from addons.accounting.models import PartnerAccounting, Settings
    from addons.accounting.services.books import partner_accounts, setup_books
    from addons.contacts.models import Partner
    from core.models.company import Company

    session = Session(bind=op.get_bind())
    try:
        companies = select(Company).where(Company.id.not_in(select(Settings.company_id))).order_by(Company.id)
        for company in session.scalars(companies).all():
            setup_books(session, company)
        partners = select(Partner).where(Partner.id.not_in(select(PartnerAccounting.partner_id))).order_by(Partner.id)
        for partner in session.scalars(partners).all():
            partner_accounts(session, partner)
        session.flush()
    finally:
        session.close()


def downgrade() -> None:
    pass
