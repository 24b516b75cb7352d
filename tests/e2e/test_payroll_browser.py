"""Payroll in a real browser: the payroll manager (the administrator) computes and posts March's batch, opens a
payslip and downloads its PDF; the employee, in Spanish, finds only her own payslip under "My payslips".
Screenshots (1366x768) go to ``$BOTTEGA_E2E_SHOTS`` (default: test-artifacts/).
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

from .conftest import ARTIFACTS, bottega_run, spanish_database
from .test_browser import log_in

SHOTS = Path(os.environ.get("BOTTEGA_E2E_SHOTS") or ARTIFACTS)
ADDONS = ["contacts", "hr"]


@pytest.fixture(scope="module")
def payroll_server(databases, tmp_path_factory):
    """``url`` and ``batch`` (the id of March's draft batch) for Ana and Bruno."""
    from addons.hr.payroll.batches import create_batch
    from addons.hr.payroll.examples import load_example
    from addons.hr.services import create_contract, create_employee, start_contract

    url, engine, registry = spanish_database(databases, "Ferretería Bottega S.L.", ADDONS)
    with make_session_factory(engine)(info={"registry": registry}) as session:
        company = session.scalars(select(Company).order_by(Company.id)).first()
        ana = User(login="ana", name="Ana Pérez", lang="es", company_id=company.id, companies=[company],
                   groups=list(session.scalars(select(GroupRow).where(GroupRow.key == "hr.group_employee"))))
        session.add(ana)
        session.flush()
        credentials.set_password(session, ana.id, USER_PASSWORD)
        for name, user_id, wage in (("Ana Pérez", ana.id, "2400"), ("Bruno Gil", None, "1900")):
            employee = create_employee(session, company.id, name=name, user_id=user_id)
            start_contract(session, create_contract(session, company.id, name=f"C-{name}", employee_id=employee.id,
                                                    date_start=dt.date(2025, 1, 1), wage=Decimal(wage)))
        structure = load_example(session, company.id, country="ES", year=2026)
        batch = create_batch(session, company.id, month=dt.date(2026, 3, 1), structure_id=structure.id)
        session.commit()
        found = {"batch": batch.id}
    engine.dispose()
    with bottega_run(url, ADDONS, tmp_path_factory.mktemp("e2e-payroll")) as base:
        yield {"url": base, **found}


def snap(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"payroll-{name}.png"), full_page=True)


def test_a_batch_is_run_a_payslip_opened_and_its_pdf_downloaded(payroll_server, browser):
    base = payroll_server["url"]
    manager = browser.new_page(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    log_in(manager, payroll_server)
    manager.goto(f"{base}/hr/payslip-batches/{payroll_server['batch']}")
    manager.get_by_role("button", name="Compute").click()
    expect(manager.get_by_text("2 payslips computed.")).to_be_visible()
    manager.get_by_role("button", name="Post").click()
    expect(manager.get_by_text("Payroll posted.")).to_be_visible()
    snap(manager, "batch")
    manager.goto(f"{base}/hr/payslips")
    manager.get_by_role("link", name="2026-03/Ana Pérez").click()
    expect(manager.locator("h1")).to_contain_text("2026-03/Ana Pérez")
    snap(manager, "payslip")
    with manager.expect_download() as download:
        manager.get_by_role("button", name="Download PDF").click()
    assert download.value.suggested_filename == "2026-03-Ana_Pérez.pdf"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    download.value.save_as(SHOTS / "payroll-payslip.pdf")
    manager.goto(f"{base}/hr/payroll-cost?year=2026")
    expect(manager.locator("tfoot tr")).to_contain_text("5,617.95")  # 3,135.60 + 2,482.35
    snap(manager, "cost")
    manager.goto(f"{base}/hr/payroll-structures/examples")
    expect(manager.get_by_text("Example — have it checked by your adviser")).to_be_visible()
    snap(manager, "examples")

    employee = browser.new_page(viewport={"width": 1366, "height": 768})
    log_in(employee, payroll_server, login="ana", password=USER_PASSWORD)
    employee.goto(f"{base}/hr/my-payslips")
    expect(employee.get_by_role("link", name="2026-03/Ana Pérez")).to_be_visible()
    expect(employee.get_by_text("Bruno Gil")).to_have_count(0)
    snap(employee, "my-payslips")
