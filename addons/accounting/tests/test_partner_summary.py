"""The Invoicing panel on a partner's page: unpaid and overdue amounts, credit limit, warnings, and access."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from addons.accounting.models import PartnerAccounting
from addons.accounting.services.invoices import create_invoice, post_invoice
from addons.accounting.tests.conftest import make_books


def posted_invoice(shop, partner, amount, date):
    """A posted invoice due on ``date`` (the partner has no payment terms)."""
    session = shop.session
    invoice = create_invoice(session, partner_id=partner.id, date=date,
                             lines=[{"description": "Work", "unit_price": amount}])
    post_invoice(session, invoice)
    session.commit()
    return invoice


def set_credit_limit(shop, partner, limit):
    row = shop.session.scalars(select(PartnerAccounting).where(PartnerAccounting.partner_id == partner.id)).one()
    row.credit_limit = Decimal(limit)
    shop.session.commit()


def panel_of(page: str) -> str:
    start = page.index('aria-label="Invoicing"')
    return page[start:page.index("</section>", start)]


def test_an_accountant_sees_unpaid_overdue_and_a_warning_over_the_credit_limit(web):
    shop = make_books(web.db, "Panel S.L.", "ES")
    partner = shop.partner("Cliente Moroso")
    posted_invoice(shop, partner, "1000", dt.date.today() - dt.timedelta(days=90))
    posted_invoice(shop, partner, "250", dt.date.today())
    set_credit_limit(shop, partner, "800")
    client = web.client()
    client.login(shop.accountant().login)

    page = client.get(f"/contacts/partners/{partner.id}").get_data(as_text=True)
    panel = panel_of(page)
    assert "Unpaid" in panel and "€1,250.00" in panel
    assert "Overdue" in panel and "€1,000.00" in panel
    assert "Credit limit" in panel and "€800.00" in panel
    assert "Over the credit limit by €450.00." in panel
    assert "€1,000.00 is overdue." in panel


def test_a_customer_in_good_standing_gets_no_warning(web):
    shop = make_books(web.db, "Panel Bien S.L.", "ES")
    partner = shop.partner("Cliente Puntual")
    posted_invoice(shop, partner, "100", dt.date.today())
    set_credit_limit(shop, partner, "5000")
    client = web.client()
    client.login(shop.accountant().login)
    panel = panel_of(client.get(f"/contacts/partners/{partner.id}").get_data(as_text=True))
    assert "€100.00" in panel and "€5,000.00" in panel
    assert 'role="alert"' not in panel


def test_a_user_without_accounting_access_sees_no_invoicing_panel(web):
    shop = make_books(web.db, "Panel Privado S.L.", "ES")
    partner = shop.partner("Cliente Secreto")
    posted_invoice(shop, partner, "1000", dt.date.today() - dt.timedelta(days=90))
    someone = shop.user("contactsonly", groups=["contacts.group_user"])
    client = web.client()
    client.login(someone.login)
    response = client.get(f"/contacts/partners/{partner.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Cliente Secreto" in page
    assert 'aria-label="Invoicing"' not in page and "1,000.00" not in page
