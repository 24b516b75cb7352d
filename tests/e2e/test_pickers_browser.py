"""Pickers in a real browser, used by a Spanish accountant from the keyboard: the customer of an invoice typed and
picked with the arrows, taxes added and removed as chips, dates typed as dd/mm/aaaa, a partner's country by its
Italian name. Screenshots at 1366 and 390 px go to ``$BOTTEGA_E2E_SHOTS`` (default: test-artifacts/)."""
from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.models import Company, User
from core.sessions import make_session_factory
from core.testing import ADMIN_PASSWORD

from .conftest import ARTIFACTS, bottega_run, spanish_database

SHOTS = Path(os.environ.get("BOTTEGA_E2E_SHOTS") or ARTIFACTS)


@pytest.fixture(scope="module")
def spanish_books(databases, tmp_path_factory):
    from addons.accounting.services.books import partner_accounts
    from addons.contacts.models import Partner

    url, engine, _registry = spanish_database(databases, "Taller Bottega S.L.", ["contacts", "accounting"])
    with make_session_factory(engine)() as session:
        company = session.scalars(select(Company).order_by(Company.id)).first()
        for name in ("Cerámicas Alhambra S.L.", "Cerrajería Alcalá S.L.", "Azulejos del Sur S.A."):
            partner = Partner(company_id=company.id, name=name, is_company=True, country_code="ES")
            session.add(partner)
            session.flush()
            partner_accounts(session, partner)
        session.scalars(select(User).where(User.login == "admin")).one().lang = "es"
        session.commit()
    engine.dispose()
    with bottega_run(url, ["contacts", "products", "accounting"], tmp_path_factory.mktemp("e2e-pickers")) as base:
        yield {"url": base, "database": url}


def snap(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"pickers-{name}.png"), full_page=True)


def logged_in(browser, base, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(base + "/login")
    page.fill("#login", "admin")
    page.fill("#password", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h1.welcome")).to_be_visible()
    return page


def combobox(page, select_id):
    return page.locator(".picker", has=page.locator(f"select#{select_id}")).locator("input[role=combobox]")


def chips(page, select_id):
    return page.locator(".picker", has=page.locator(f"select#{select_id}")).locator(".chip span")


def query(url, statement):
    from core.db import make_engine

    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            return session.execute(statement).all()
    finally:
        engine.dispose()


def test_an_invoice_from_the_keyboard_with_tax_chips_and_a_spanish_date(spanish_books, browser):
    from addons.accounting.models import Invoice

    base = spanish_books["url"]
    page = logged_in(browser, base, 1366)
    page.goto(base + "/accounting/invoices/new")
    expect(page.locator("h1")).to_contain_text("Factura de cliente")

    customer = combobox(page, "partner_id")
    customer.click()
    customer.type("cer")
    listbox = page.locator("#" + customer.get_attribute("aria-controls"))
    expect(customer).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    expect(options.nth(2)).to_have_text("Crear «cer»")  # once the answer for "cer" is in
    expect(options).to_have_count(4)  # two customers (in the database's name order), create by name, create and edit
    found = options.all_inner_texts()
    assert sorted(found[:2]) == ["Cerrajería Alcalá S.L.", "Cerámicas Alhambra S.L."]
    assert found[2:] == ["Crear «cer»", "Crear y editar…"]
    expect(options.first).to_have_attribute("aria-selected", "true")
    for _step in range(found.index("Cerámicas Alhambra S.L.")):
        customer.press("ArrowDown")
    chosen = options.nth(found.index("Cerámicas Alhambra S.L."))
    expect(chosen).to_have_attribute("aria-selected", "true")
    expect(customer).to_have_attribute("aria-activedescendant", chosen.get_attribute("id"))
    customer.press("Enter")
    expect(customer).to_have_value("Cerámicas Alhambra S.L.")
    expect(customer).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#partner_id option:checked")).to_have_text("Cerámicas Alhambra S.L.")

    # Escape closes the list and keeps the choice
    customer.fill("zzz")
    expect(listbox).to_contain_text("Nada coincide.")
    customer.press("Escape")
    expect(customer).to_have_attribute("aria-expanded", "false")
    expect(customer).to_have_value("Cerámicas Alhambra S.L.")

    date = page.locator("#date")
    expect(date).to_have_attribute("placeholder", "31/12/2026")
    date.fill("31/02/2026")
    page.fill("#lines-0-description", "Azulejos pintados a mano")
    page.fill("#lines-0-unit_price", "100")

    taxes = combobox(page, "lines-0-tax_ids")
    taxes.click()
    taxes.type("21")
    taxes.press("Enter")
    taxes.type("irpf")
    taxes.press("Enter")
    line_taxes = chips(page, "lines-0-tax_ids")
    expect(line_taxes).to_have_count(2)  # shown in the taxes' own order
    assert line_taxes.all_inner_texts() == ["IVA 21% (ventas)", "Retención IRPF -15% (ventas)"]
    taxes.press("Backspace")  # the box is empty: the last chip goes
    expect(line_taxes).to_have_text(["IVA 21% (ventas)"])
    taxes.type("10")
    taxes.press("Enter")
    expect(line_taxes).to_have_count(2)
    page.get_by_role("button", name="Quitar IVA 10% (ventas)").click()
    expect(line_taxes).to_have_text(["IVA 21% (ventas)"])
    taxes.type("iva 21")
    expect(page.locator("#" + taxes.get_attribute("aria-controls"))).to_contain_text("Nada coincide.")  # chosen
    taxes.press("Escape")
    taxes.fill("")

    page.click("text=+ Añadir una línea")  # a copied row gets a picker of its own, without the chips
    expect(chips(page, "lines-1-tax_ids")).to_have_count(0)
    page.fill("#lines-1-description", "Transporte")
    page.fill("#lines-1-unit_price", "30")
    second = combobox(page, "lines-1-tax_ids")
    second.click()
    second.type("10")
    second.press("Enter")
    expect(chips(page, "lines-1-tax_ids")).to_have_text(["IVA 10% (ventas)"])
    expect(chips(page, "lines-0-tax_ids")).to_have_text(["IVA 21% (ventas)"])
    snap(page, "invoice-1366")

    page.click("button:has-text('Guardar')")
    expect(page.locator(".field.has-error")).to_contain_text("31/02/2026 no es una fecha: escríbela como 31/12/2026.")
    expect(chips(page, "lines-0-tax_ids")).to_have_text(["IVA 21% (ventas)"])  # kept through the refusal
    expect(combobox(page, "partner_id")).to_have_value("Cerámicas Alhambra S.L.")

    today = dt.date.today()
    page.fill("#date", f"{today.day}/{today.month}/{today.year}")
    page.click("button:has-text('Guardar')")
    expect(page.locator(".flash-success")).to_be_visible()

    rows = query(spanish_books["database"], select(Invoice.date, Invoice.amount_untaxed, Invoice.amount_tax))
    assert rows == [(today, Decimal("130.00"), Decimal("24.00"))]  # 100 x 21% + 30 x 10%

    phone = logged_in(browser, base, 390)
    phone.goto(base + "/accounting/invoices/new")
    phone_taxes = combobox(phone, "lines-0-tax_ids")
    phone_taxes.click()
    phone_taxes.press("ArrowDown")
    phone_taxes.press("Enter")
    expect(chips(phone, "lines-0-tax_ids")).to_have_count(1)
    phone_taxes.click()
    snap(phone, "invoice-390")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_partner_country_by_its_italian_name(spanish_books, browser):
    from addons.contacts.models import Partner

    base = spanish_books["url"]
    for width in (1366, 390):
        page = logged_in(browser, base, width)
        page.goto(base + "/contacts/partners/new")
        page.fill("#name", f"Officine Fiorentine {width}")
        country = combobox(page, "country_code")
        country.click()
        country.type("Spagna")
        listbox = page.locator("#" + country.get_attribute("aria-controls"))
        expect(listbox.get_by_role("option")).to_have_text(["España"])
        snap(page, f"partner-{width}")
        country.press("Enter")
        expect(country).to_have_value("España")
        page.click("button:has-text('Guardar')")
        expect(page.locator(".flash-success")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    rows = query(spanish_books["database"], select(Partner.country_code).where(Partner.name.like("Officine%")))
    assert rows == [("ES",), ("ES",)]
