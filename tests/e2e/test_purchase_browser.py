"""A buyer and an accountant in a real browser: a request for quotation is made from the supplier's price,
confirmed (over the approval amount: approved), received in the warehouse, billed from the order and posted
after the three-way check; the order page fits its card at 1366 px and on a phone.

The server is ``bottega run`` on a database of its own with contacts, purchase, stock and accounting installed
(and so the purchase_stock, purchase_accounting and stock_accounting bridges), Spanish books set up.
Screenshots go to ``$BOTTEGA_E2E_SHOTS`` (default: test-artifacts/).
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
from tests.lifecycle_helpers import query

from .conftest import ARTIFACTS, bottega_run, spanish_database
from .test_browser import log_in

SHOTS = Path(os.environ.get("BOTTEGA_E2E_SHOTS") or ARTIFACTS)
ADDONS = ["contacts", "products", "purchase", "stock", "accounting"]
PHONE = {"width": 390, "height": 844}
BUYER_PASSWORD = "buyer-password-e2e"


@pytest.fixture(scope="module")
def purchase_server(databases, tmp_path_factory):
    """``url``: the server's base URL; ``database``: its database URL."""
    from addons.accounting.services.books import partner_accounts
    from addons.contacts.models import Partner
    from addons.products.services import create_product
    from addons.purchase.services.prices import create_supplier_price
    from addons.purchase.services.settings import set_approval_amount
    from addons.stock.services.setup import create_warehouse

    url, engine, registry = spanish_database(databases, "Ferretería Bottega S.L.", ADDONS)
    with make_session_factory(engine)(info={"registry": registry}) as session:
        company = session.scalars(select(Company).order_by(Company.id)).first()
        supplier = Partner(company_id=company.id, name="Talleres Levante S.A.", is_company=True, vat="ESA12345674",
                           country_code="ES")
        session.add(supplier)
        session.flush()
        partner_accounts(session, supplier)
        create_warehouse(session, company.id, code="MAD", name="Madrid")
        screws = create_product(session, company.id, code="TORN-M6", name="Tornillo hexagonal M6")
        create_supplier_price(session, company.id, product_id=screws.id, supplier_id=supplier.id,
                              price=Decimal("7.80"), min_quantity=Decimal(0), lead_time=3, preferred=True)
        set_approval_amount(session, company.id, amount=Decimal(500))
        buyer = User(login="buyer", name="Buyer", lang="en", company_id=company.id, companies=[company],
                     groups=list(session.scalars(select(GroupRow).where(GroupRow.key == "purchase.group_user"))))
        session.add(buyer)
        session.flush()
        credentials.set_password(session, buyer.id, BUYER_PASSWORD)
        session.commit()
    engine.dispose()
    with bottega_run(url, ADDONS, tmp_path_factory.mktemp("e2e-purchase")) as base:
        yield {"url": base, "database": url}


def snap(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"purchase-{name}.png"), full_page=True)


def fits(page, selector: str) -> bool:
    """Whether the element ends inside the card it is in."""
    return page.evaluate("""(selector) => {
        const element = document.querySelector(selector), card = element.closest('.card');
        return element.getBoundingClientRect().right <= card.getBoundingClientRect().right + 0.5;
    }""", selector)


def test_a_request_is_confirmed_approved_received_billed_and_checked_in_the_browser(purchase_server, browser):
    base = purchase_server["url"]
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    log_in(page, purchase_server, "buyer", BUYER_PASSWORD)

    page.goto(base + "/purchase/supplier-prices/")
    expect(page.locator("table.records tbody tr")).to_have_count(1)
    expect(page.locator("table.records")).to_contain_text("Talleres Levante S.A.")
    snap(page, "01-supplier-prices")

    page.goto(base + "/purchase/orders/new")
    page.locator(".field.recordfield", has=page.locator("#partner_id")).locator(".search-select-box").fill("Levante")
    expect(page.locator("#partner_id option", has_text="Talleres Levante")).to_have_count(1)
    page.select_option("#partner_id", label="Talleres Levante S.A.")
    page.fill("#date_order", dt.date.today().isoformat())
    page.select_option("#lines-0-product_id", label="[TORN-M6] Tornillo hexagonal M6")
    page.fill("#lines-0-quantity", "100")
    page.fill("#lines-0-unit_price", "7.80")
    snap(page, "02-new-request")
    page.click("button:has-text('Save')")
    expect(page.locator(".flash-success")).to_have_text("Saved.")
    order_url = page.url
    expect(page.locator(".fit-lines tbody tr")).to_have_count(1)
    expect(page.locator(".fit-lines")).to_contain_text("€780.00")
    assert fits(page, ".fit-lines table") and fits(page, ".fit-lines"), "the lines overflow the order's card"
    snap(page, "03-request")

    page.click("button:has-text('Confirm order')")  # 780 is over the approval amount (500): a manager approves
    expect(page.locator("dl.fields").first).to_contain_text("To approve")
    expect(page.locator("button:has-text('Approve')")).to_have_count(0)
    snap(page, "04-to-approve")

    page = browser.new_page(viewport={"width": 1366, "height": 900})  # the administrator approves, receives, bills
    log_in(page, purchase_server)
    page.goto(order_url)
    page.click("button:has-text('Approve')")
    expect(page.locator("dl.fields").first).to_contain_text("Purchase order")
    expect(page.locator("section.record-panel[aria-label=Receipts]")).to_contain_text("MAD/IN/00001")
    snap(page, "05-confirmed")

    page.locator("section.record-panel[aria-label=Receipts]").locator("a").first.click()
    page.click("table.records a:has-text('MAD/IN/00001')")
    page.click("button:has-text('Process')")
    expect(page.locator(".badge.state-done")).to_be_visible()
    snap(page, "06-received")

    page.goto(order_url)
    expect(page.locator(".fit-lines tbody tr td").nth(4)).to_have_text("100")  # received
    page.click("text=Billing and three-way check")
    expect(page.locator("table.three-way tbody td").nth(4)).to_have_text("100")  # received
    page.click("button:has-text('Create bill')")
    expect(page.locator(".invoice-lines tbody tr")).to_have_count(1)
    expect(page.locator(".invoice-totals")).to_contain_text("€780.00")
    snap(page, "07-bill")
    page.click("button:has-text('Post')")
    expect(page.locator(".badge.state-posted")).to_be_visible()

    page.goto(order_url)
    page.click("text=Billing and three-way check")
    expect(page.locator("table.three-way tbody tr")).to_contain_text("100")
    expect(page.locator("table.three-way tbody td").nth(5)).to_have_text("100")  # billed
    expect(page.locator("table.three-way tbody td").nth(6)).to_have_text("0")  # to bill
    expect(page.locator("button:has-text('Create bill')")).to_have_count(0)
    snap(page, "08-billed")
    assert query(purchase_server["database"], "SELECT received_quantity FROM purchase_order_line") == [
        (Decimal("100.0000"),)]

    phone = browser.new_page(viewport=PHONE)
    phone.context.add_cookies(page.context.cookies())
    phone.goto(order_url)
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    snap(phone, "09-order-phone")
