"""accounting: back-fill books for existing companies

Installing accounting on a database that already holds companies and
partners (e.g. one running CRM) gives every company its books, with the
chart of its country; every partner, old or new, then has the company's
receivable and payable accounts (``services.books.partner_accounts``),
and gets a row of its own in ``accounting_partner`` only when it is first
invoiced or given its own terms or credit limit. No row is written for
partners here, so uninstalling accounting without purge leaves every
partner as deletable as it was before.
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
    from addons.accounting.models import Settings
    from addons.accounting.services.books import setup_books
    from core.models.company import Company

    session = Session(bind=op.get_bind())
    try:
        companies = select(Company).where(Company.id.not_in(select(Settings.company_id))).order_by(Company.id)
        for company in session.scalars(companies).all():
            setup_books(session, company)
        session.flush()
    finally:
        session.close()


def downgrade() -> None:
    pass
