"""Commissions in a real browser: the sales manager (the administrator) opens a salesperson's statement for March,
reads the invoices and bands and confirms it; the salesperson, in Spanish, reads their own statement and has no
button to confirm it, nor the plans in their menu. Screenshots (1366x768) go to ``$BOTTEGA_E2E_SHOTS``
(default: test-artifacts/).
"""
from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.models import Company, User
from core.models.user import Group as GroupRow
from core.security import credentials
from core.sessions import make_session_factory
from core.testing import USER_PASSWORD
from tests.lifecycle_helpers import query

from .conftest import ARTIFACTS, bottega_run, spanish_database
from .test_browser import log_in

SHOTS = Path(os.environ.get("BOTTEGA_E2E_SHOTS") or ARTIFACTS)
ADDONS = ["contacts", "products", "accounting", "sales"]
DAY = dt.date(2027, 3, 10)
PERIOD = "date_from=2027-03-01&date_to=2027-03-31"


@pytest.fixture(scope="module")
def commissions_server(databases, tmp_path_factory):
    """``url``, ``database``, ``ana`` (a salesperson's id) and ``invoice`` (the number of her March invoice)."""
    from addons.accounting.services.invoices import post_invoice
    from addons.accounting.services.years import create_fiscal_year
    from addons.contacts.services import create_partner
    from addons.products.services import create_product
    from addons.sales.services.commission_plans import save_plan
    from addons.sales.services.invoicing import invoice_orders
    from addons.sales.services.quotes import confirm_quote, create_quote

    url, engine, registry = spanish_database(databases, "Ferretería Bottega S.L.", ADDONS)
    with make_session_factory(engine)(info={"registry": registry}) as session:
        company = session.scalars(select(Company).order_by(Company.id)).first()
        ana = User(login="ana", name="Ana Pérez", lang="es", company_id=company.id, companies=[company],
                   groups=list(session.scalars(select(GroupRow).where(GroupRow.key == "sales.group_salesperson"))))
        session.add(ana)
        session.flush()
        credentials.set_password(session, ana.id, USER_PASSWORD)
        save_plan(session, company.id, None, name="Ana 2027", user_id=ana.id,
                  bands=[{"amount_from": 0, "amount_to": 1000, "rate": 2}, {"amount_from": 1000, "rate": 5}])
        create_fiscal_year(session, company.id, year=2027)
        drill = create_product(session, company.id, code="TAL-18", name="Taladro 18 V", list_price=Decimal(600),
                               cost=Decimal(350))
        customer = create_partner(session, company.id, name="Construcciones Norte S.L.", is_company=True)
        order = create_quote(session, company.id, partner_id=customer.id, date_order=DAY, user_id=ana.id,
                             lines=[{"product_id": drill.id, "quantity": 3}])
        confirm_quote(session, order, today=DAY)
        invoice = post_invoice(session, invoice_orders(session, [order], date=DAY))
        session.commit()
        found = {"ana": ana.id, "invoice": invoice.number}
    engine.dispose()
    with bottega_run(url, ADDONS, tmp_path_factory.mktemp("e2e-commissions")) as base:
        yield {"url": base, "database": url, **found}


def snap(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"commissions-{name}.png"), full_page=True)


def test_a_manager_confirms_a_statement_and_the_salesperson_reads_it(commissions_server, browser):
    base, ana = commissions_server["url"], commissions_server["ana"]
    manager = browser.new_page(viewport={"width": 1366, "height": 768})
    log_in(manager, commissions_server)
    manager.goto(f"{base}/sales/commissions")
    manager.select_option("#user_id", str(ana))
    manager.fill("#date_from", "2027-03-01")
    manager.fill("#date_to", "2027-03-31")
    manager.click("button:has-text('Show')")
    documents = manager.locator(".commission-documents")
    expect(documents).to_contain_text(commissions_server["invoice"])
    expect(documents).to_contain_text("Construcciones Norte S.L.")
    expect(manager.locator(".commission-total")).to_contain_text("60.00")  # 2% of 1,000 + 5% of 800
    snap(manager, "01-preview")
    manager.click("button:has-text('Confirm the statement')")
    expect(manager.locator(".flash-success")).to_contain_text("Commission statement confirmed.")
    expect(manager.locator(".commission-confirmed")).to_contain_text("COM/2027/00001")
    snap(manager, "02-confirmed")
    [(amount, state)] = query(commissions_server["database"], "SELECT amount, state FROM sales_commission_statement")
    assert (Decimal(str(amount)), state) == (Decimal(60), "confirmed")

    manager.goto(f"{base}/sales/commission-plans/")
    manager.click("text=Ana 2027")
    expect(manager.locator(".records").last).to_contain_text("1,000")
    snap(manager, "03-plan")
    manager.click("a:has-text('Edit')")
    expect(manager.locator("input[name='lines-1-amount_from']")).to_have_value("1000.00")
    snap(manager, "04-plan-form")

    salesperson = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    log_in(salesperson, commissions_server, login="ana", password=USER_PASSWORD)
    salesperson.goto(f"{base}/sales/commissions?{PERIOD}")
    expect(salesperson.locator("h1")).to_contain_text("Comisiones")
    expect(salesperson.locator(".commission-documents")).to_contain_text(commissions_server["invoice"])
    expect(salesperson.locator("button:has-text('Confirmar la liquidación')")).to_have_count(0)
    expect(salesperson.locator("a[href='/sales/commission-plans/']")).to_have_count(0)
    snap(salesperson, "05-salesperson")
