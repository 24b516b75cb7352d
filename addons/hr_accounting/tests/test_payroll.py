"""Posted payroll in the ledger: one balanced entry per posting, the net pay paid and reconciled; without
accounting, payroll works alone."""
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from addons.accounting.models import Move, MoveLine
from addons.accounting.services.reconcile import residuals
from addons.hr.payroll.batches import compute_batch, correct_payslip, create_batch, post_batch
from addons.hr.payroll.examples import load_example
from addons.hr.payroll.models import POSTED, PayrollRate, Payslip, PayslipLine
from addons.hr.tests.test_payroll import MARCH, payroll  # noqa: F401 (the fixture)
from addons.hr.services import create_contract, create_employee, start_contract
from addons.hr_accounting.payroll import PayslipEntry, batch_entry, pay_batch, payroll_accounts
from core.errors import ValidationError
from core.lifecycle import Lifecycle
from core.security import actor_session
from core.sessions import make_session_factory
from core.testing import initialized_database


def _posted_batch(payroll):
    """Posted by the payroll manager; the ledger read by the system (the payroll manager reads no entries)."""
    session, company_id, structure, _staff = payroll
    batch = create_batch(session, company_id, month=MARCH, structure_id=structure.id)
    compute_batch(session, batch)
    post_batch(session, batch)
    session.commit()
    return session, company_id, batch


def _by_account(move):
    found = {}
    for line in move.lines:
        found[line.account_id] = found.get(line.account_id, Decimal(0)) + line.debit - line.credit
    return found


def _category_total(session, category):
    return session.scalar(select(func.sum(PayslipLine.amount)).where(PayslipLine.category == category))


def test_a_posted_batch_writes_one_balanced_entry(db, payroll):
    session, company_id, batch = _posted_batch(payroll)
    ledger = db.system()
    moves = ledger.scalars(select(Move).where(Move.origin == "payroll")).all()
    assert len(moves) == 1 and moves[0].state == POSTED and moves[0].date == dt.date(2026, 3, 31)
    entry = moves[0]
    assert sum(line.debit for line in entry.lines) == sum(line.credit for line in entry.lines)
    accounts = payroll_accounts(session, company_id)
    slips = session.scalars(select(Payslip).where(Payslip.batch_id == batch.id)).all()
    balances = _by_account(entry)
    assert balances[accounts.wages_account_id] == sum(p.gross for p in slips)
    assert balances[accounts.employer_ss_account_id] == _category_total(session, "employer_ss")
    assert balances[accounts.ss_payable_account_id] == -(_category_total(session, "employee_ss")
                                                         + _category_total(session, "employer_ss"))
    assert balances[accounts.withholding_account_id] == -_category_total(session, "withholding")
    assert balances[accounts.net_payable_account_id] == -sum(p.net for p in slips)
    assert session.scalar(select(func.count()).select_from(PayslipEntry)) == len(slips)
    assert batch_entry(ledger, batch).id == entry.id


def test_paying_the_net_pay_reconciles_the_payable(db, payroll):
    session, company_id, batch = _posted_batch(payroll)
    accounts = payroll_accounts(session, company_id)
    pay_batch(session, batch, date=dt.date(2026, 4, 2))
    session.commit()
    ledger = db.system()
    payable = ledger.scalars(select(MoveLine).where(MoveLine.account_id == accounts.net_payable_account_id)).all()
    assert len(payable) == 2 and all(r.amount == 0 for r in residuals(ledger, payable).values())
    with pytest.raises(ValidationError, match="already paid"):
        pay_batch(session, batch, date=dt.date(2026, 4, 3))


def test_a_correction_books_the_reversal_on_the_other_side(db, payroll):
    session, company_id, batch = _posted_batch(payroll)
    original = session.scalars(select(Payslip).where(Payslip.batch_id == batch.id)).first()
    correct_payslip(session, original)
    session.commit()
    accounts = payroll_accounts(session, company_id)
    reversal_move = db.system().scalars(select(Move).where(Move.origin == "payroll").order_by(Move.id.desc())).first()
    assert _by_account(reversal_move)[accounts.net_payable_account_id] == original.net


def test_an_entry_accounting_refuses_refuses_the_posting(db, payroll):
    session, company_id, structure, _staff = payroll
    for rate in session.scalars(select(PayrollRate).where(PayrollRate.year == 2026)).all():
        session.add(PayrollRate(company_id=company_id, country_code=rate.country_code, year=2031, code=rate.code,
                                name=rate.name, value=rate.value))
    batch = create_batch(session, company_id, month=dt.date(2031, 3, 1), structure_id=structure.id)
    compute_batch(session, batch)
    with pytest.raises(ValidationError, match="2031"):  # no fiscal year 2031: nothing is posted
        post_batch(session, batch)
    assert session.scalar(select(func.count()).select_from(Payslip).where(Payslip.state == POSTED)) == 0
    assert db.system().scalar(select(func.count()).select_from(Move).where(Move.origin == "payroll")) == 0


def test_payroll_works_without_accounting(fresh_url, catalog):
    engine = initialized_database(fresh_url, catalog, ["hr"])
    try:
        registry = Lifecycle(engine, catalog).registry()
        assert "accounting" not in registry.installed and "hr_accounting" not in registry.installed
        with actor_session(make_session_factory(engine), registry, None) as session:
            employee = create_employee(session, 1, name="Ana")
            start_contract(session, create_contract(session, 1, name="C-1", employee_id=employee.id,
                                                    date_start=dt.date(2026, 1, 1), wage=Decimal("2000")))
            structure = load_example(session, 1, country="IT", year=2026)
            batch = create_batch(session, 1, month=MARCH, structure_id=structure.id)
            assert compute_batch(session, batch) == 1
            post_batch(session, batch)
            session.commit()
            slip = session.scalars(select(Payslip)).one()
            assert slip.state == POSTED and slip.gross == Decimal("2000.00")
    finally:
        engine.dispose()
