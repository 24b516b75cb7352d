"""An employee files an expense claim in a real browser, attaches the receipt and submits it; their manager
approves it. The pages fit a desktop's width and a phone's."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from core.catalog import Catalog
from core.lifecycle import Lifecycle
from core.sessions import make_session_factory
from core.testing import USER_PASSWORD, TestData, image_bytes, initialized_database

from .conftest import bottega_run, spanish_database
from .test_browser import log_in


@pytest.fixture(scope="module")
def hr_server(databases, tmp_path_factory):
    """HR alone: Eva works for Boss; one expense category."""
    from addons.hr.expenses.models import ExpenseCategory
    from addons.hr.services import create_company_record, create_employee

    url = databases.new()
    catalog = Catalog.discover()
    engine = initialized_database(url, catalog, ["hr"])
    data = TestData(Lifecycle(engine, catalog).registry(), make_session_factory(engine))
    boss, eva = data.user("boss", groups=["hr.group_manager"]), data.user("eva", groups=["hr.group_employee"])
    with data.system() as session:
        company_id = data.main_company.id
        manager = create_employee(session, company_id, name="Boss", user_id=boss.id)
        create_employee(session, company_id, name="Eva", user_id=eva.id, manager_id=manager.id)
        create_company_record(session, ExpenseCategory, company_id, {"name": "Taxi"})
        session.commit()
    engine.dispose()
    with bottega_run(url, ["hr"], tmp_path_factory.mktemp("e2e-expenses")) as base:
        yield {"url": base, "database": url}


def test_a_claim_is_filed_with_its_receipt_submitted_and_approved(hr_server, browser, shot, tmp_path):
    base = hr_server["url"]
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    log_in(page, hr_server, "eva", USER_PASSWORD)
    page.goto(base + "/hr/my-expenses")
    page.get_by_role("link", name="New claim").click()
    page.fill("#date", dt.date.today().isoformat())
    page.fill("#description", "Client visit in Turin")
    page.select_option("#lines-0-category_id", label="Taxi")
    page.fill("#lines-0-amount", "18.40")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("h1")).to_have_text("Client visit in Turin")
    expect(page.locator(".alert-warning")).to_contain_text("it needs at least one receipt")

    receipt = tmp_path / "taxi.png"
    receipt.write_bytes(image_bytes())
    chatter = page.locator("aside.chatter")
    chatter.get_by_role("tab", name="Attach").click()
    chatter.locator("#chatter-file").set_input_files(str(receipt))
    chatter.locator("#chatter-attach button[type=submit]").click()
    expect(chatter.locator(".timeline li.attachment a")).to_have_text("taxi.png")
    shot(page, "expense-draft-1366")
    page.get_by_role("button", name="Submit").click()
    expect(page.locator(".flash-success")).to_have_text("Claim submitted for approval.")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "expense-submitted-390")
    page.goto(base + "/hr/my-expenses")
    expect(page.locator("table.records")).to_contain_text("Client visit in Turin")
    shot(page, "my-expenses-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    manager = browser.new_page(viewport={"width": 1366, "height": 900})
    log_in(manager, hr_server, "boss", USER_PASSWORD)
    manager.goto(base + "/hr/expenses/?filter=to_approve")
    shot(manager, "expenses-to-approve-1366")
    manager.locator("tr", has_text="Client visit in Turin").locator("a").first.click()
    manager.get_by_role("button", name="Approve").click()
    expect(manager.locator(".flash-success")).to_have_text("Claim approved.")
    shot(manager, "expense-approved-1366")


@pytest.fixture(scope="module")
def books_server(databases, tmp_path_factory):
    """HR and accounting in a Spanish company: Olga (HR officer and accountant) has Bruno's approved claim."""
    from addons.hr.expenses.models import APPROVED, ExpenseCategory, ExpenseClaim, ExpenseLine
    from addons.hr.services import create_company_record, create_employee

    url, engine, registry = spanish_database(databases, "Gastos Bottega S.L.", ["hr", "accounting"])
    data = TestData(registry, make_session_factory(engine))
    data.user("olga", groups=["hr.group_officer", "accounting.group_accountant"])
    with data.system() as session:
        company_id = data.main_company.id
        bruno = create_employee(session, company_id, name="Bruno Díaz")
        travel = create_company_record(session, ExpenseCategory, company_id, {"name": "Viajes"})
        claim = ExpenseClaim(company_id=company_id, employee_id=bruno.id, date=dt.date.today(), state=APPROVED,
                             description="Feria de Valencia", currency_code="EUR", total=Decimal("86.40"))
        claim.lines = [ExpenseLine(company_id=company_id, category_id=travel.id, date=dt.date.today(),
                                   amount=Decimal("86.40"), description="Tren")]
        session.add(claim)
        session.commit()
        claim_id = claim.id
    engine.dispose()
    with bottega_run(url, ["hr", "accounting", "hr_accounting"], tmp_path_factory.mktemp("e2e-expense-books")) as base:
        yield {"url": base, "database": url, "claim": claim_id}


def test_an_accountant_posts_the_claim_and_pays_it_back(books_server, browser, shot):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    log_in(page, books_server, "olga", USER_PASSWORD)
    page.goto(f"{books_server['url']}/hr/expenses/{books_server['claim']}")
    page.get_by_role("button", name="Post to accounting").click()
    expect(page.locator(".flash-success")).to_have_text("Claim posted.")
    page.get_by_role("button", name="Register reimbursement").click()
    shot(page, "expense-pay-form-1366")
    page.get_by_role("button", name="Register reimbursement").click()
    expect(page.locator(".flash-success")).to_have_text("Reimbursement registered.")
    shot(page, "expense-reimbursed-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "expense-reimbursed-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
