"""An accountant in a real browser: invoices a customer (two lines, post, open the PDF), then imports a CSV bank
statement through its column mapping and confirms the suggested match.

The server is ``bottega run`` on a database of its own with contacts and
accounting installed and Spanish books set up. Screenshots go to
``$BOTTEGA_E2E_SHOTS`` (default: test-artifacts/).
"""
from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.models import Company
from core.sessions import make_session_factory
from core.testing import ADMIN_PASSWORD

from .conftest import ARTIFACTS, bottega_run, spanish_database

SHOTS = Path(os.environ.get("BOTTEGA_E2E_SHOTS") or ARTIFACTS)


@pytest.fixture(scope="module")
def books_server(databases, tmp_path_factory):
    """``url``: the server's base URL; ``database``: its database URL."""
    from addons.accounting.services.books import partner_accounts
    from addons.contacts.models import Partner
    from addons.products.services import create_product

    url, engine, _registry = spanish_database(databases, "Taller Bottega S.L.", ["contacts", "accounting"])
    factory = make_session_factory(engine)
    with factory() as session:
        company = session.scalars(select(Company).order_by(Company.id)).first()
        partner = Partner(company_id=company.id, name="Cerámicas Alhambra S.L.", is_company=True, vat="ESB12345674",
                          street="Calle Real 1", city="Granada", zip="18001", country_code="ES")
        session.add(partner)
        session.flush()
        partner_accounts(session, partner)
        create_product(session, company.id, code="AZ-01", name="Azulejos pintados a mano",
                       list_price=Decimal("8.50"))
        session.commit()
    engine.dispose()
    with bottega_run(url, ["contacts", "products", "accounting"], tmp_path_factory.mktemp("e2e-accounting")) as base:
        yield {"url": base, "database": url}


def snap(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"accounting-{name}.png"), full_page=True)


def test_an_accountant_invoices_posts_and_prints(books_server, browser):
    base = books_server["url"]
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(base + "/login")
    page.fill("#login", "admin")
    page.fill("#password", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h1.welcome")).to_be_visible()

    page.goto(base + "/accounting/invoices/")
    expect(page.locator("nav.sidebar")).to_contain_text("Bank statements")
    page.click(".page-head >> text=New")
    expect(page.locator("h1")).to_have_text("New Customer invoice")
    page.fill(".field.recordfield .search-select-box", "Alhambra")
    expect(page.locator("#partner_id option", has_text="Cerámicas Alhambra")).to_have_count(1)
    page.select_option("#partner_id", label="Cerámicas Alhambra S.L.")

    page.fill("#lines-0-description", "Azulejos pintados a mano")
    page.select_option("#lines-0-product_id", label="[AZ-01] Azulejos pintados a mano")
    page.fill("#lines-0-quantity", "12")
    page.fill("#lines-0-unit_price", "8.50")
    page.select_option("#lines-0-tax_ids", label="IVA 21% (ventas)")
    page.click("text=+ Add a line")
    expect(page.locator("#lines-1-product_id")).to_have_value("")  # a new line does not repeat the product
    page.fill("#lines-1-description", "Transporte")
    page.fill("#lines-1-unit_price", "30")
    page.select_option("#lines-1-tax_ids", label="IVA 21% (ventas)")
    snap(page, "01-invoice-form")
    page.click("button:has-text('Save')")

    expect(page.locator(".flash-success")).to_have_text("Saved.")
    expect(page.locator(".invoice-totals")).to_contain_text("€159.72")  # (102 + 30) x 1.21
    expect(page.locator(".invoice-lines tbody tr")).to_have_count(2)
    snap(page, "02-draft")

    page.click("button:has-text('Post')")
    expect(page.locator(".flash-success")).to_contain_text("Posted as INV/")
    expect(page.locator(".badge.state-posted")).to_be_visible()
    expect(page.locator(".page-head >> text=Edit")).to_have_count(0)
    snap(page, "03-posted")

    link = page.locator("a:has-text('Download PDF')")
    with page.context.expect_page() as opened:
        link.click()
    pdf_page = opened.value
    pdf_page.wait_for_load_state()
    response = page.request.get(base + link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    (SHOTS / "accounting-04-invoice.pdf").write_bytes(response.body())
    pdf_page.close()

    page.goto(base + "/accounting/reports?report=trial_balance")
    expect(page.locator("table.report")).to_contain_text("430")
    snap(page, "05-trial-balance")

    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone.context.add_cookies(page.context.cookies())
    phone.goto(page.url)
    snap(phone, "06-phone-report")


def test_an_accountant_imports_a_csv_statement_and_confirms_the_suggested_match(books_server, browser, tmp_path):
    base = books_server["url"]
    import datetime as dt

    from addons.accounting.services.invoices import create_invoice, post_invoice
    from addons.contacts.models import Partner
    from core.db import make_engine

    engine = make_engine(books_server["database"])
    with make_session_factory(engine)() as session:
        partner = session.scalars(select(Partner).where(Partner.name == "Cerámicas Alhambra S.L.")).one()
        invoice = create_invoice(session, partner_id=partner.id, lines=[{"description": "Zócalo", "unit_price": "250"}])
        post_invoice(session, invoice)
        session.commit()
        number, total = invoice.number, invoice.amount_total
    engine.dispose()
    statement = tmp_path / "extracto.csv"
    statement.write_text(f"Fecha;Concepto;Importe;Ordenante\n{dt.date.today():%d/%m/%Y};Transferencia {number};"
                         f"{str(total).replace('.', ',')};CERAMICAS ALHAMBRA SL\n", encoding="utf-8")

    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(base + "/login")
    page.fill("#login", "admin")
    page.fill("#password", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    page.goto(base + "/accounting/bank/import")
    page.set_input_files("#file", str(statement))
    page.click("button:has-text('Upload')")
    expect(page.locator("h1")).to_have_text("Columns of extracto.csv")
    expect(page.locator("#map-date")).to_have_value("Fecha")  # recognised from the header
    page.select_option("#map-amount", "Importe")
    page.select_option("#map-partner_name", "Ordenante")
    page.select_option("#date_format", "%d/%m/%Y")
    page.select_option("#decimal_separator", ",")
    snap(page, "07-bank-mapping")
    page.click("button:has-text('Import the lines')")
    expect(page.locator(".flash-success")).to_have_text("1 line imported.")
    expect(page.locator(".suggestions")).to_contain_text(number)
    snap(page, "08-bank-suggestions")
    page.click(".suggestions button:has-text('Confirm')")
    expect(page.locator(".flash-success")).to_have_text("The bank line is matched.")
    expect(page.locator(".statement-lines")).to_contain_text("Matched")
