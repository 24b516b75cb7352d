"""Expense claims with accounting: posted as one balanced entry, reimbursed by a payment that settles the
employee's payable, final once posted; and hr alone, before accounting comes, marking claims reimbursed."""
import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from addons.accounting.models import MoveLine
from addons.accounting.security import ACCOUNTANT
from addons.accounting.services.reconcile import residuals
from addons.accounting.tests.conftest import make_books
from addons.hr.expenses import services
from addons.hr.expenses.models import APPROVED, POSTED, REIMBURSED, ExpenseCategory, ExpenseClaim, ExpenseLine
from addons.hr.services import create_company_record, create_employee
from addons.hr_accounting import expenses
from addons.hr_accounting.expense_models import ClaimPosting, ExpenseCategoryAccount
from core.chatter.models import Attachment
from core.errors import AccessDenied, ValidationError
from core.models import Mail, User

OFFICER = "hr.group_officer"
DAY = dt.date(2026, 6, 15)


@pytest.fixture
def firm(db):
    """A Spanish company with books: Ana manages Bruno; Olga is HR officer and accountant, Hugo HR officer only."""
    books = make_books(db, "Gastos S.L.", "ES")
    session, company = books.session, books.company
    users = {login: books.user(login, groups) for login, groups in (
        ("ana", ["hr.group_manager"]), ("bruno", ["hr.group_employee"]), ("olga", [OFFICER, ACCOUNTANT]),
        ("hugo", [OFFICER]))}
    session.get(User, users["bruno"].id).email = "bruno@example.com"
    ana = create_employee(session, company.id, name="Ana", user_id=users["ana"].id)
    bruno = create_employee(session, company.id, name="Bruno", user_id=users["bruno"].id, manager_id=ana.id)
    travel = create_company_record(session, ExpenseCategory, company.id, {"name": "Travel"})
    meals = create_company_record(session, ExpenseCategory, company.id, {"name": "Meals"})
    session.add(ExpenseCategoryAccount(category_id=travel.id, company_id=company.id,
                                       account_id=books.account("629").id))
    session.commit()
    return SimpleNamespace(db=db, books=books, company=company, users=users, bruno=bruno, travel=travel,
                           meals=meals)


def as_(firm, who):
    session = firm.db.as_user(firm.users[who])
    return session, session.info["actor"]


def approved_claim(firm) -> int:
    """Bruno's claim (travel 120.50, meals 34.20) with its receipt, submitted, approved by Ana."""
    session, actor = as_(firm, "bruno")
    claim = services.create_claim(session, actor, firm.company.id, date=DAY, description="Madrid trip", today=DAY,
                                  lines=[{"category_id": firm.travel.id, "amount": "120.50"},
                                         {"category_id": firm.meals.id, "amount": "34.20"}])
    session.add(Attachment(filename="ticket.pdf", content_type="application/pdf", size=3, sha256="0" * 64,
                           storage_key=f"test/{claim.id}", res_model="hr_expense_claim", res_id=claim.id,
                           company_id=firm.company.id))
    services.submit_claim(session, actor, claim)
    session.commit()
    session, actor = as_(firm, "ana")
    services.approve_claim(session, actor, session.get(ExpenseClaim, claim.id))
    session.commit()
    return claim.id


def posted_claim(firm) -> int:
    claim_id = approved_claim(firm)
    session, _actor = as_(firm, "olga")
    expenses.post_claim(session, session.get(ExpenseClaim, claim_id))
    session.commit()
    return claim_id


def test_an_approved_claim_is_posted_as_one_balanced_entry(firm):
    claim_id = posted_claim(firm)
    system = firm.db.system()
    assert system.get(ExpenseClaim, claim_id).state == POSTED
    posting = system.get(ClaimPosting, claim_id)
    assert posting.move.state == "posted" and posting.move.date == DAY
    from addons.accounting.models import Account

    default_expense = system.get(Account, firm.books.settings.expense_account_id)
    lines = sorted((line.account.code, line.debit, line.credit) for line in posting.move.lines)
    assert lines == sorted([("629", Decimal("120.50"), Decimal(0)),
                            (default_expense.code, Decimal("34.20"), Decimal(0)),
                            ("4651", Decimal(0), Decimal("154.70"))])
    assert {line.partner.name for line in posting.move.lines} == {"Bruno"}


def test_the_reimbursement_is_a_payment_that_settles_the_employee_payable(firm):
    claim_id = posted_claim(firm)
    session, actor = as_(firm, "olga")
    with pytest.raises(ValidationError, match="With accounting, post the claim, then register its reimbursement"):
        services.mark_reimbursed(session, actor, session.get(ExpenseClaim, claim_id), date=DAY)
    session.rollback()
    expenses.reimburse_claim(session, session.get(ExpenseClaim, claim_id), date=DAY, reference="TR-88")
    session.commit()
    system = firm.db.system()
    claim = system.get(ExpenseClaim, claim_id)
    assert (claim.state, claim.reimbursed_on, claim.reimbursement_ref) == (REIMBURSED, DAY, "TR-88")
    posting = system.get(ClaimPosting, claim_id)
    assert posting.payment.amount == Decimal("154.70") and posting.payment.state == "posted"
    payable = system.scalars(select(MoveLine).where(MoveLine.move_id == posting.move_id,
                                                    MoveLine.credit > 0)).one()
    assert residuals(system, [payable])[payable.id].amount == 0
    assert system.scalars(select(Mail.subject).where(Mail.reference == f"hr.expense:{claim_id}",
                                                     Mail.to == "bruno@example.com")).all()[-1] == \
        "Your expense claim Madrid trip is reimbursed."


def test_a_posted_claim_is_final(firm):
    claim_id = posted_claim(firm)
    session, actor = as_(firm, "olga")
    with pytest.raises(ValidationError, match="Only a submitted claim is approved or refused; this one is posted."):
        services.refuse_claim(session, actor, session.get(ExpenseClaim, claim_id), reason="Too late")
    session.rollback()
    with pytest.raises(ValidationError, match="Only a draft claim is changed"):
        services.update_claim(session, session.get(ExpenseClaim, claim_id), description="Other")
    session.rollback()
    claim = session.get(ExpenseClaim, claim_id)
    claim.state = "refused"  # even written directly, past the services
    with pytest.raises(ValidationError, match="Claim Madrid trip is posted: its entry is final"):
        session.flush()
    session.rollback()
    with pytest.raises(ValidationError, match="A posted claim's expenses are final"):
        session.get(ExpenseClaim, claim_id).lines[0].amount = Decimal(1)
        session.flush()
    session.rollback()
    with pytest.raises(ValidationError, match="Only an approved claim is posted; this one is posted."):
        expenses.post_claim(session, session.get(ExpenseClaim, claim_id))
    session.rollback()
    assert firm.db.system().get(ExpenseClaim, claim_id).state == POSTED


def test_posting_needs_accounting_rights_and_an_expense_account(firm):
    claim_id = approved_claim(firm)
    session, _actor = as_(firm, "hugo")  # HR officer without accounting
    with pytest.raises(AccessDenied):
        expenses.post_claim(session, session.get(ExpenseClaim, claim_id))
    session.rollback()
    system = firm.db.system()
    firm.books.settings.expense_account_id = None
    firm.books.session.commit()
    session, _actor = as_(firm, "olga")
    with pytest.raises(ValidationError, match="Choose the expense account of category Meals"):
        expenses.post_claim(session, session.get(ExpenseClaim, claim_id))
    session.rollback()
    assert system.get(ClaimPosting, claim_id) is None
    assert system.get(ExpenseClaim, claim_id).state == "approved"


def test_the_claim_pages_post_and_pay_with_accounting(web):
    books = make_books(web.db, "Notas S.L.", "ES")
    system = books.session
    olga = books.user("olga", [OFFICER, ACCOUNTANT])
    bruno = books.user("bruno", ["hr.group_employee"])
    employee = create_employee(system, books.company.id, name="Bruno", user_id=bruno.id)
    taxi = create_company_record(system, ExpenseCategory, books.company.id, {"name": "Taxi"})
    claim = ExpenseClaim(company_id=books.company.id, employee_id=employee.id, date=DAY, description="Taxi",
                         currency_code="EUR", state=APPROVED, total=Decimal("18.40"))
    system.add(claim)
    system.flush()
    system.add(ExpenseLine(company_id=books.company.id, claim_id=claim.id, category_id=taxi.id, date=DAY,
                           amount=Decimal("18.40")))
    system.commit()
    client = web.client()
    client.login(olga.login)
    page = client.get(f"/hr/expenses/{claim.id}").get_data(as_text=True)
    assert "Post to accounting" in page and "Mark reimbursed" not in page
    assert client.post(f"/hr_accounting/expenses/{claim.id}/post").status_code == 302
    page = client.get(f"/hr/expenses/{claim.id}").get_data(as_text=True)
    assert web.db.system().get(ExpenseClaim, claim.id).state == POSTED, page
    assert "Register reimbursement" in page and "Journal entry" in page
    form = client.post(f"/hr_accounting/expenses/{claim.id}/pay")
    assert form.status_code == 200 and 'name="journal_id"' in form.get_data(as_text=True)
    journal = books.journal("bank")
    paid = client.post(f"/hr_accounting/expenses/{claim.id}/pay", {"date": DAY.isoformat(), "journal_id": journal.id,
                                                                    "reference": "TR-1"})
    assert paid.status_code == 302, paid.get_data(as_text=True)
    assert web.db.system().get(ExpenseClaim, claim.id).state == REIMBURSED


def test_hr_alone_marks_claims_reimbursed_and_accounting_brings_posting(fresh_url, catalog):
    from core.lifecycle import Lifecycle
    from core.security import actor_session, load_actor
    from core.sessions import make_session_factory
    from core.testing import initialized_database

    engine = initialized_database(fresh_url, catalog, ["hr"])
    try:
        lifecycle = Lifecycle(engine, catalog)
        registry = lifecycle.registry()
        assert "accounting" not in registry.installed and "hr_accounting" not in registry.installed
        factory = make_session_factory(engine)
        with actor_session(factory, registry, None) as system:
            admin = system.scalars(select(User).where(User.login == "admin")).one()
            officer = load_actor(system, registry, admin.id)
            boss = create_employee(system, 1, name="Boss", user_id=admin.id)
            worker = create_employee(system, 1, name="Worker", manager_id=boss.id)
            travel = create_company_record(system, ExpenseCategory, 1, {"name": "Travel"})
            claim = services.create_claim(system, officer, 1, employee_id=worker.id, date=DAY, today=DAY,
                                          description="Fair", lines=[{"category_id": travel.id, "amount": "50"}])
            claim.state = "submitted"  # the worker has no login to submit with: as if they had
            services.approve_claim(system, officer, claim)
            services.mark_reimbursed(system, officer, claim, date=DAY, reference="TR-1", today=DAY)
            system.commit()
            assert (claim.state, claim.reimbursement_ref) == (REIMBURSED, "TR-1")
        lifecycle.run(lifecycle.plan_install(["accounting"]))
        registry = Lifecycle(engine, catalog).registry()
        assert {"accounting", "hr_accounting"} <= set(registry.installed)
        with actor_session(factory, registry, None) as system:
            assert services.reimbursed_through_accounting(system)
            assert system.get(ExpenseClaim, claim.id).state == REIMBURSED  # the history stays as it was
    finally:
        engine.dispose()
