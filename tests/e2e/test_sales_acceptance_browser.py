"""A quotation answered in a real browser: the salesperson sends it by email from its page, the customer opens the
link of the mail in a browser with no login, reads the quotation in Spanish and accepts it, typing their name and
their purchase order number; the quotation is a sales order then, and the salesperson's page says who accepted.

The server is ``bottega run`` on a database of its own with sales installed (and so contacts, products and
accounting). Screenshots go to ``$BOTTEGA_E2E_SHOTS`` (default: test-artifacts/).
"""
from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.models import Company
from core.sessions import make_session_factory
from tests.lifecycle_helpers import query

from .conftest import ARTIFACTS, bottega_run, spanish_database
from .test_browser import log_in

SHOTS = Path(os.environ.get("BOTTEGA_E2E_SHOTS") or ARTIFACTS)
ADDONS = ["contacts", "products", "accounting", "sales"]


@pytest.fixture(scope="module")
def sales_server(databases, tmp_path_factory):
    """``url``: the server's base URL; ``database``: its database URL; ``quote``: a draft quotation's id."""
    from addons.contacts.services import create_partner
    from addons.products.services import create_product
    from addons.sales.services.quotes import create_quote

    url, engine, registry = spanish_database(databases, "Ferretería Bottega S.L.", ADDONS)
    with make_session_factory(engine)(info={"registry": registry}) as session:
        company = session.scalars(select(Company).order_by(Company.id)).first()
        drill = create_product(session, company.id, code="TAL-18", name="Taladro 18 V", list_price=Decimal(100),
                               cost=Decimal("61.37"))
        customer = create_partner(session, company.id, name="Construcciones Norte S.L.", is_company=True,
                                  lang="es", email="compras@norte.example")
        quote = create_quote(session, company.id, partner_id=customer.id, lines=[
            {"product_id": drill.id, "quantity": Decimal(3)},
            {"description": "Montaje en obra", "unit_price": Decimal(90), "optional": True}])
        session.commit()
        quote_id = quote.id
    engine.dispose()
    with bottega_run(url, ADDONS, tmp_path_factory.mktemp("e2e-sales")) as base:
        yield {"url": base, "database": url, "quote": quote_id}


def snap(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"sales-{name}.png"), full_page=True)


def test_the_customer_accepts_a_mailed_quotation_in_the_browser(sales_server, browser):
    base, quote = sales_server["url"], sales_server["quote"]
    salesperson = browser.new_page(viewport={"width": 1366, "height": 900})
    log_in(salesperson, sales_server)
    salesperson.goto(f"{base}/sales/orders/{quote}")
    expect(salesperson.locator("#quote-email-to")).to_have_value("compras@norte.example")
    salesperson.click("button:has-text('Send by email')")
    expect(salesperson.locator(".flash-success")).to_contain_text("Sent to compras@norte.example")
    expect(salesperson.locator(".quote-mails")).to_contain_text("compras@norte.example")
    snap(salesperson, "01-sent")

    [(text,)] = query(sales_server["database"], "SELECT text FROM core_mail WHERE reference = :ref",
                      ref=f"sales.order:{quote}")
    path = re.search(r"http://\S+(/sales/quote/\S+)", text).group(1)

    customer = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()  # no cookie, no login
    customer.goto(base + path)
    expect(customer.locator("h1")).to_contain_text("Presupuesto")
    expect(customer.locator(".quote-lines").first).to_contain_text("Taladro 18 V")
    expect(customer.locator(".optional-lines")).to_contain_text("Montaje en obra")
    assert "61,37" not in customer.content() and customer.locator(".topbar").count() == 0
    snap(customer, "02-public-quote")

    customer.click("button:has-text('Aceptar')")  # without a name: refused, in Spanish
    expect(customer.locator(".alert-error")).to_contain_text("Escriba su nombre completo")
    customer.fill("#accepted_by", "Lucía Fernández")
    customer.fill("#customer_reference", "PED-2027-114")
    customer.click("button:has-text('Aceptar')")
    expect(customer.locator(".alert")).to_contain_text("Aceptado por Lucía Fernández")
    expect(customer.locator("form")).to_have_count(0)
    snap(customer, "03-accepted")

    [(state, accepted_by, reference)] = query(
        sales_server["database"], "SELECT state, accepted_by, customer_reference FROM sales_order WHERE id = :id",
        id=quote)
    assert (state, accepted_by, reference) == ("confirmed", "Lucía Fernández", "PED-2027-114")
    salesperson.goto(f"{base}/sales/orders/{quote}")
    expect(salesperson.locator(".quote-answer")).to_contain_text("Accepted online by Lucía Fernández")
