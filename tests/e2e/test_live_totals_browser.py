"""Live totals in a real browser (core.web.previews, document_totals.js): typing quantities and prices on an
invoice, a quotation and a purchase request updates each line's subtotal and the totals, a letter in a quantity is marked next to
it, choosing a product fills its line at once, adding and removing lines counts, and what is saved is what was
shown. Screenshots at 1366 and 390 px go to ``$BOTTEGA_E2E_SHOTS`` (default: test-artifacts/)."""
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

from .conftest import ARTIFACTS, bottega_run, spanish_database
from .test_browser import log_in

SHOTS = Path(os.environ.get("BOTTEGA_E2E_SHOTS") or ARTIFACTS)
ADDONS = ["contacts", "products", "accounting", "sales", "purchase"]


@pytest.fixture(scope="module")
def documents_server(databases, tmp_path_factory):
    """``url``, ``database``, and the ids of a draft ``invoice``, a draft ``quote`` and a ``request`` (for
    quotation, to a supplier) to edit."""
    from addons.accounting.models import ProductAccounting, Tax
    from addons.accounting.services.books import partner_accounts
    from addons.accounting.services.invoices import create_invoice
    from addons.contacts.services import create_partner
    from addons.products.services import create_product
    from addons.purchase.services.orders import create_order
    from addons.purchase.services.prices import create_supplier_price
    from addons.sales.services.quotes import create_quote

    url, engine, registry = spanish_database(databases, "Taller Bottega S.L.", ADDONS)
    with make_session_factory(engine)(info={"registry": registry}) as session:
        company = session.scalars(select(Company).order_by(Company.id)).first()
        customer = create_partner(session, company.id, name="Cerámicas Alhambra S.L.", is_company=True)
        partner_accounts(session, customer)
        tiles = create_product(session, company.id, code="AZ-01", name="Azulejos pintados a mano",
                               list_price=Decimal("8.50"))
        drill = create_product(session, company.id, code="TAL-18", name="Taladro 18 V", list_price=Decimal(100))
        iva21 = session.scalar(select(Tax).where(Tax.company_id == company.id, Tax.code == "S_IVA21"))
        for product in (tiles, drill):
            session.add(ProductAccounting(product_id=product.id, company_id=company.id, sales_taxes=[iva21]))
        invoice = create_invoice(session, partner_id=customer.id, company_id=company.id, lines=[
            {"description": "Transporte", "unit_price": Decimal(30), "tax_ids": [iva21.id]}])
        quote = create_quote(session, company.id, partner_id=customer.id, lines=[
            {"product_id": drill.id, "quantity": Decimal(1)}])
        supplier = create_partner(session, company.id, name="Ferretería Ruiz S.L.", is_company=True)
        create_supplier_price(session, company.id, product_id=tiles.id, supplier_id=supplier.id,
                              price=Decimal("5.25"), lead_time=5)
        request = create_order(session, company.id, partner_id=supplier.id, lines=[
            {"product_id": drill.id, "quantity": Decimal(1), "unit_price": Decimal(70)}])
        session.commit()
        ids = {"invoice": invoice.id, "quote": quote.id, "request": request.id}
    engine.dispose()
    with bottega_run(url, ADDONS, tmp_path_factory.mktemp("e2e-live-totals")) as base:
        yield {"url": base, "database": url, **ids}


def snap(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"live-totals-{name}.png"), full_page=True)


def subtotal(page, index: int):
    return page.locator("tr[data-line]").nth(index).locator("[data-line-subtotal]")


def total(page, name: str):
    return page.locator(f"[data-document-totals] [data-total='{name}']")


def on_phone(browser, page, name, subtotal_of_two):
    """The same form at 390 px (as saved), two on the first line: its subtotal shows; nothing is wider than the
    screen."""
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone.context.add_cookies(page.context.cookies())
    phone.goto(page.url)
    phone.fill("#lines-0-quantity", "2")
    expect(subtotal(phone, 0)).to_have_text(subtotal_of_two)
    snap(phone, name)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.close()


def test_an_invoice_totals_follow_the_typing_and_the_chosen_product(documents_server, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    log_in(page, documents_server)
    page.goto(f"{documents_server['url']}/accounting/invoices/{documents_server['invoice']}/edit")
    expect(subtotal(page, 0)).to_have_text("€30.00")  # as saved, before any typing

    page.fill("#lines-0-quantity", "2")
    expect(subtotal(page, 0)).to_have_text("€60.00")
    expect(total(page, "total")).to_have_text("€72.60")

    page.fill("#lines-0-quantity", "")
    page.locator("#lines-0-quantity").press_sequentially("2e")  # a number input takes an "e", and then is no number
    expect(page.locator("#lines-0-quantity")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("td.col-quantity .errors").first).to_have_text(
        "This is not a number: type digits, such as 2 or 1.5.")
    expect(total(page, "total")).to_have_text("€72.60")  # the last good totals stay, greyed
    snap(page, "invoice-bad-quantity")
    page.fill("#lines-0-quantity", "3")
    expect(page.locator("#lines-0-quantity")).to_have_attribute("aria-invalid", "false")
    expect(total(page, "total")).to_have_text("€108.90")

    page.select_option("#lines-1-product_id", label="[AZ-01] Azulejos pintados a mano")
    expect(page.locator("#lines-1-description")).to_have_value("Azulejos pintados a mano")
    expect(page.locator("#lines-1-unit_price")).to_have_value("8.5")
    expect(page.locator("#lines-1-tax_ids option:checked")).to_have_text("IVA 21% (ventas)")
    page.fill("#lines-1-quantity", "12")
    expect(subtotal(page, 1)).to_have_text("€102.00")
    expect(total(page, "untaxed")).to_have_text("€192.00")
    expect(total(page, "tax")).to_have_text("€40.32")
    expect(total(page, "total")).to_have_text("€232.32")
    expect(page.locator("[data-tax-rows]")).to_contain_text("IVA 21% (ventas)")

    page.click("text=+ Add a line")
    page.fill("#lines-2-description", "Embalaje")
    page.fill("#lines-2-unit_price", "10")
    expect(total(page, "untaxed")).to_have_text("€202.00")
    page.locator("tr[data-line]").nth(2).locator("[data-remove-line]").click()
    expect(total(page, "untaxed")).to_have_text("€192.00")
    snap(page, "invoice-1366")
    on_phone(browser, page, "invoice-390", "€60.00")

    shown = total(page, "total").inner_text()
    page.click("button:has-text('Save')")
    expect(page.locator(".flash-success")).to_have_text("Saved.")
    expect(page.locator("main")).to_contain_text(shown)


def test_a_quote_prices_a_chosen_product_from_the_list_and_totals_as_typed(documents_server, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    log_in(page, documents_server)
    page.goto(f"{documents_server['url']}/sales/orders/{documents_server['quote']}/edit")

    page.fill("#lines-0-quantity", "3")
    expect(subtotal(page, 0)).to_have_text("€300.00")
    expect(total(page, "total")).to_have_text("€363.00")

    page.select_option("#lines-1-product_id", label="[AZ-01] Azulejos pintados a mano")
    expect(page.locator("#lines-1-description")).to_have_value("[AZ-01] Azulejos pintados a mano")
    expect(page.locator("#lines-1-unit_price")).to_have_value("8.5")
    expect(page.locator("#lines-1-uom_id")).not_to_have_value("")
    page.fill("#lines-1-quantity", "10")
    page.fill("#lines-1-discount", "10")
    expect(subtotal(page, 1)).to_have_text("€76.50")
    expect(total(page, "untaxed")).to_have_text("€376.50")
    expect(total(page, "total")).to_have_text(re.compile(r"€455\.57"))
    snap(page, "quote-1366")
    on_phone(browser, page, "quote-390", "€200.00")

    page.click("button:has-text('Save')")
    expect(page.locator(".flash-success")).to_have_text("Saved.")
    expect(page.locator("main")).to_contain_text("€455.57")


def test_a_purchase_request_prices_a_chosen_product_from_the_supplier_and_totals_as_typed(documents_server, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    log_in(page, documents_server)
    page.goto(f"{documents_server['url']}/purchase/orders/{documents_server['request']}/edit")
    expect(total(page, "total")).to_have_text("€70.00")  # as saved
    expect(total(page, "tax")).to_have_count(0)  # a request has no taxes: only its total

    page.fill("#lines-0-quantity", "2")
    expect(subtotal(page, 0)).to_have_text("€140.00")
    page.select_option("#lines-1-product_id", label="[AZ-01] Azulejos pintados a mano")
    expect(page.locator("#lines-1-unit_price")).to_have_value("5.25")
    page.fill("#lines-1-quantity", "10")
    expect(subtotal(page, 1)).to_have_text("€52.50")
    expect(total(page, "total")).to_have_text("€192.50")
    snap(page, "request-1366")
    on_phone(browser, page, "request-390", "€140.00")

    page.click("button:has-text('Save')")
    expect(page.locator(".flash-success")).to_have_text("Saved.")
    expect(page.locator("main")).to_contain_text("€192.50")
