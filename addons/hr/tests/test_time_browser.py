"""An employee checks in with the big button and fills their week in the grid, in a real Chromium; the weekly
grid and the kiosk at laptop and phone widths (screenshots in test-artifacts/)."""
from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.catalog import Catalog
from core.lifecycle import Lifecycle
from core.models import Company, User
from core.security import actor_session
from core.sessions import make_session_factory
from core.testing import initialized_database
from tests.e2e.conftest import CHROMIUM, bottega_run, browser, shot  # noqa: F401 (fixtures)
from tests.e2e.test_browser import log_in
from tests.lifecycle_helpers import query

pytestmark = pytest.mark.skipif(not (Path(CHROMIUM).exists() or os.environ.get("BOTTEGA_E2E")),
                                reason=f"no Chromium at {CHROMIUM} (CI installs it and sets BOTTEGA_E2E=1)")

LAPTOP, PHONE = {"width": 1366, "height": 900}, {"width": 390, "height": 844}
SECRET = "e2e-secret-key-e2e-secret-key"  # bottega_run's


@pytest.fixture(scope="module")
def hr_server(databases, tmp_path_factory):
    """HR alone; the admin is an employee with a contract, two activities to book on, a badge for the kiosk."""
    from addons.hr import kiosk
    from addons.hr.services import create_company_record, create_contract, create_employee, start_contract
    from addons.hr.time_models import WorkActivity

    url = databases.new()
    engine = initialized_database(url, Catalog.discover(), ["hr"])
    registry = Lifecycle(engine, Catalog.discover()).registry()
    with actor_session(make_session_factory(engine), registry, None) as session:
        company = session.scalars(select(Company).order_by(Company.id)).first()
        company.country_code = "ES"
        admin = session.scalars(select(User).where(User.login == "admin")).one()
        employee = create_employee(session, company.id, name="Lucía Fernández", user_id=admin.id)
        start_contract(session, create_contract(session, company.id, name="C-1", employee_id=employee.id,
                                                date_start=dt.date(2026, 1, 1), wage=Decimal(3000)))
        for name in ("Proyecto web", "Soporte a clientes"):
            create_company_record(session, WorkActivity, company.id, {"name": name})
        kiosk.set_badge(session, employee, "0001", "1234")
        session.commit()
        company_id = company.id
    engine.dispose()
    with bottega_run(url, ["contacts", "hr"], tmp_path_factory.mktemp("e2e-hr")) as base:
        yield {"url": base, "database": url, "company": company_id}


def test_checking_in_with_the_button_and_filling_the_week_in_the_grid(hr_server, browser, shot):  # noqa: F811
    page = browser.new_page(viewport=LAPTOP)
    log_in(page, hr_server)
    page.goto(hr_server["url"] + "/hr/my-attendance")
    page.click("button.hr-punch-button")
    expect(page.locator("button.hr-punch-button")).to_have_text("Check out")
    expect(page.locator(".hr-punch-state")).to_contain_text("Checked in since")
    assert query(hr_server["database"], "SELECT count(*) FROM hr_attendance WHERE check_out IS NULL") == [(1,)]
    shot(page, "hr-my-attendance-1366")

    page.goto(hr_server["url"] + "/hr/timesheet?week=2026-03-09")
    page.fill("input[aria-label='Proyecto web, Monday, March 9, 2026']", "6")
    page.fill("input[aria-label='Soporte a clientes, Monday, March 9, 2026']", "2,5")
    page.fill("input[aria-label='Proyecto web, Tuesday, March 10, 2026']", "7.25")
    page.click("text=Save the week")
    expect(page.locator(".flash, .alert").first).to_contain_text("Week saved.")
    expect(page.locator("td[data-day='2026-03-09']")).to_have_text("8.5")
    expect(page.locator("td[data-total]")).to_have_text("15.75")
    shot(page, "hr-timesheet-1366")
    page.set_viewport_size(PHONE)
    shot(page, "hr-timesheet-390")

    page.fill("input[aria-label='Proyecto web, Wednesday, March 11, 2026']", "-3")
    page.click("text=Save the week")
    expect(page.locator(".alert-error")).to_contain_text("Proyecto web, 2026-03-11: hours cannot be negative.")
    assert query(hr_server["database"], "SELECT sum(hours) FROM hr_timesheet_line")[0][0] in (15.75, "15.75",
                                                                                              Decimal("15.75"))
    page.set_viewport_size(LAPTOP)
    page.goto(hr_server["url"] + "/hr/hours?report=1&start=2026-03-09&end=2026-03-15")
    expect(page.locator("table.report")).to_contain_text("Lucía Fernández")
    shot(page, "hr-hours-1366")


def test_the_kiosk_at_laptop_and_phone_widths(hr_server, browser, shot):  # noqa: F811
    from addons.hr.kiosk import kiosk_token

    tablet = browser.new_page(viewport=LAPTOP)
    tablet.goto(hr_server["url"] + "/hr/kiosk?token=" + kiosk_token(SECRET, hr_server["company"], "Europe/Madrid"))
    tablet.fill("#badge", "0001")
    tablet.fill("#pin", "9999")
    tablet.click("button.hr-punch-button")
    expect(tablet.locator(".alert-error")).to_have_text("Wrong badge or PIN: try again.")
    shot(tablet, "hr-kiosk-1366")
    tablet.set_viewport_size(PHONE)
    shot(tablet, "hr-kiosk-390")
    expect(tablet.locator(".topbar")).to_have_count(0)
