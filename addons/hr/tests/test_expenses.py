"""Expense claims: filing, receipts, submission, approval by the manager or HR, refusal, reimbursement, and who
sees what."""
import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from addons.hr.expenses import services
from addons.hr.expenses.models import (APPROVED, DRAFT, REFUSED, SUBMITTED, ExpenseCategory, ExpenseClaim,
                                       ExpenseLine)
from addons.hr.services import create_company_record, create_employee
from core.chatter.services import attach, ref_of
from core.chatter.storage import AttachmentStore
from core.errors import ValidationError
from core.models import Mail, User
from core.testing import image_bytes

OFFICER = "hr.group_officer"
DAY = dt.date(2026, 3, 10)


@pytest.fixture
def team(db, tmp_path):
    """Ana manages Bruno and Carla; Dario manages nobody of theirs; Olga is an HR officer."""
    session = db.system()
    company_id = db.main_company.id
    users = {name: db.user(name, groups=[group]) for name, group in (
        ("ana", "hr.group_manager"), ("bruno", "hr.group_employee"), ("carla", "hr.group_employee"),
        ("dario", "hr.group_manager"), ("olga", OFFICER))}
    for user in users.values():
        session.get(User, user.id).email = f"{user.login}@example.com"
    ana = create_employee(session, company_id, name="Ana", user_id=users["ana"].id)
    people = {"ana": ana, "dario": create_employee(session, company_id, name="Dario", user_id=users["dario"].id),
              "olga": create_employee(session, company_id, name="Olga", user_id=users["olga"].id)}
    for name in ("bruno", "carla"):
        people[name] = create_employee(session, company_id, name=name.title(), user_id=users[name].id,
                                       manager_id=ana.id)
    categories = {name: create_company_record(session, ExpenseCategory, company_id, {"name": name})
                  for name in ("Travel", "Meals")}
    session.commit()
    return SimpleNamespace(db=db, users=users, people=people, categories=categories, company_id=company_id,
                           store=AttachmentStore(tmp_path / "attachments", 1024 * 1024))


def as_(team, who):
    session = team.db.as_user(team.users[who])
    return session, session.info["actor"]


def file_claim(team, who="bruno", lines=None, **values):
    session, actor = as_(team, who)
    values = {"date": DAY, "description": "Trip to Milan", **values}
    claim = services.create_claim(session, actor, team.company_id, today=DAY, lines=lines if lines is not None else [
                                      {"category_id": team.categories["Travel"].id, "amount": "120.50"},
                                      {"category_id": team.categories["Meals"].id, "amount": Decimal("34.20"),
                                       "date": DAY - dt.timedelta(days=1), "description": "Dinner"}], **values)
    session.commit()
    return claim.id


def attach_receipt(team, claim_id, who="bruno"):
    session, _actor = as_(team, who)
    attach(session, team.store, ref_of(session, session.get(ExpenseClaim, claim_id)), "ticket.png", image_bytes())
    session.commit()


def submitted_claim(team, who="bruno"):
    claim_id = file_claim(team, who)
    attach_receipt(team, claim_id, who)
    session, actor = as_(team, who)
    services.submit_claim(session, actor, session.get(ExpenseClaim, claim_id))
    session.commit()
    return claim_id


def stored(team, claim_id):
    return team.db.system().get(ExpenseClaim, claim_id)


def test_a_claim_adds_its_lines_in_the_company_currency(team):
    claim = stored(team, file_claim(team))
    assert (claim.state, claim.total, claim.currency_code) == (DRAFT, Decimal("154.70"), "EUR")
    assert [(line.category.name, line.date, line.amount) for line in claim.lines] == [
        ("Travel", DAY, Decimal("120.50")), ("Meals", DAY - dt.timedelta(days=1), Decimal("34.20"))]
    assert claim.employee.name == "Bruno"


@pytest.mark.parametrize("line, message, field", [
    ({"amount": "-5"}, "Line 1: The amount must be more than zero.", "lines-0-amount"),
    ({"amount": "0"}, "Line 1: The amount must be more than zero.", "lines-0-amount"),
    ({"amount": "10", "date": DAY + dt.timedelta(days=1)}, "Line 1: 2026-03-11 is in the future", "lines-0-date"),
    ({}, "Line 1: ", "lines-0-amount"),
])
def test_bad_lines_are_refused_and_nothing_is_written(team, line, message, field):
    with pytest.raises(ValidationError, match=message) as refused:
        file_claim(team, lines=[{"category_id": team.categories["Travel"].id, **line}])
    assert field in refused.value.errors
    assert team.db.system().scalars(select(ExpenseClaim)).all() == []
    assert team.db.system().scalars(select(ExpenseLine)).all() == []


def test_a_claim_dated_in_the_future_or_without_lines_is_refused(team):
    with pytest.raises(ValidationError, match="2026-03-11 is in the future: claim expenses already paid."):
        file_claim(team, date=DAY + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="A claim needs at least one expense line."):
        file_claim(team, lines=[])
    assert team.db.system().scalars(select(ExpenseClaim)).all() == []


def test_an_employee_files_claims_for_themselves_only(team):
    with pytest.raises(ValidationError, match="You file expense claims for yourself only"):
        file_claim(team, "ana", employee_id=team.people["bruno"].id)  # even their manager
    claim = stored(team, file_claim(team, "olga", employee_id=team.people["bruno"].id))  # HR files for others
    assert claim.employee.name == "Bruno"


def test_a_claim_is_submitted_by_its_employee_with_a_receipt_and_the_manager_is_told(team):
    claim_id = file_claim(team)
    session, actor = as_(team, "bruno")
    with pytest.raises(ValidationError, match="Attach the receipts to the claim before submitting it"):
        services.submit_claim(session, actor, session.get(ExpenseClaim, claim_id))
    session.rollback()
    attach_receipt(team, claim_id)
    olga, officer = as_(team, "olga")
    with pytest.raises(ValidationError, match="Only Bruno submits their own claim."):
        services.submit_claim(olga, officer, olga.get(ExpenseClaim, claim_id))
    olga.rollback()
    assert stored(team, claim_id).state == DRAFT
    session, actor = as_(team, "bruno")
    services.submit_claim(session, actor, session.get(ExpenseClaim, claim_id))
    session.commit()
    assert stored(team, claim_id).state == SUBMITTED
    mails = team.db.system().scalars(select(Mail).where(Mail.reference == f"hr.expense:{claim_id}")).all()
    assert [(m.to, m.subject) for m in mails] == [("ana@example.com", "Expense claim to approve: Bruno")]


def test_a_submitted_claim_no_longer_changes(team):
    claim_id = submitted_claim(team)
    session, _actor = as_(team, "bruno")
    with pytest.raises(ValidationError, match="Only a draft claim is changed"):
        services.update_claim(session, session.get(ExpenseClaim, claim_id), description="Other", today=DAY)
    session.rollback()
    assert stored(team, claim_id).description == "Trip to Milan"


def test_a_draft_changes_its_lines_and_total(team):
    claim_id = file_claim(team)
    session, _actor = as_(team, "bruno")
    services.update_claim(session, session.get(ExpenseClaim, claim_id), today=DAY, lines=[
        {"category_id": team.categories["Meals"].id, "amount": "12"}])
    session.commit()
    claim = stored(team, claim_id)
    assert (claim.total, len(claim.lines)) == (Decimal(12), 1)
    with pytest.raises(ValidationError, match="Line 1: The amount must be more than zero."):
        services.update_claim(session, session.get(ExpenseClaim, claim_id), today=DAY, lines=[
            {"category_id": team.categories["Meals"].id, "amount": "-1"}])
    session.rollback()
    assert stored(team, claim_id).total == Decimal(12)


def test_the_manager_approves_and_the_employee_is_told(team):
    claim_id = submitted_claim(team)
    session, actor = as_(team, "ana")
    services.approve_claim(session, actor, session.get(ExpenseClaim, claim_id))
    session.commit()
    assert stored(team, claim_id).state == APPROVED
    told = team.db.system().scalars(select(Mail).where(Mail.reference == f"hr.expense:{claim_id}",
                                                       Mail.to == "bruno@example.com")).one()
    assert told.subject == "Your expense claim Trip to Milan is approved."


def test_nobody_approves_their_own_claim_nor_one_outside_their_team(team):
    own = submitted_claim(team, "ana")
    session, actor = as_(team, "ana")
    with pytest.raises(ValidationError, match="You cannot approve or refuse your own request."):
        services.approve_claim(session, actor, session.get(ExpenseClaim, own))
    session.rollback()
    claim_id = submitted_claim(team)
    dario, actor = as_(team, "dario")
    assert dario.get(ExpenseClaim, claim_id) is None  # not in his team: not even visible
    with pytest.raises(ValidationError, match="Only Bruno's manager or an HR officer decides this request."):
        services.approve_claim(dario, actor, team.db.system().get(ExpenseClaim, claim_id))
    assert stored(team, claim_id).state == SUBMITTED
    olga, officer = as_(team, "olga")  # HR decides anyone's
    services.approve_claim(olga, officer, olga.get(ExpenseClaim, claim_id))
    olga.commit()
    assert stored(team, claim_id).state == APPROVED


def test_a_refusal_says_why_and_is_final(team):
    claim_id = submitted_claim(team)
    session, actor = as_(team, "ana")
    with pytest.raises(ValidationError, match="Say why the request is refused."):
        services.refuse_claim(session, actor, session.get(ExpenseClaim, claim_id), reason="  ")
    session.rollback()
    services.refuse_claim(session, actor, session.get(ExpenseClaim, claim_id), reason="No receipt for the taxi")
    session.commit()
    claim = stored(team, claim_id)
    assert (claim.state, claim.refusal) == (REFUSED, "No receipt for the taxi")
    with pytest.raises(ValidationError, match="Only a submitted claim is approved or refused; this one is refused."):
        services.approve_claim(session, actor, session.get(ExpenseClaim, claim_id))


def test_employees_read_their_own_claims_and_managers_their_teams(team):
    bruno_claim, carla_claim = file_claim(team, "bruno"), file_claim(team, "carla")
    carla, _actor = as_(team, "carla")
    assert [c.id for c in carla.scalars(select(ExpenseClaim))] == [carla_claim]
    assert carla.scalars(select(ExpenseLine).where(ExpenseLine.claim_id == bruno_claim)).all() == []
    ana, _actor = as_(team, "ana")
    assert {c.id for c in ana.scalars(select(ExpenseClaim))} == {bruno_claim, carla_claim}
    dario, _actor = as_(team, "dario")
    assert dario.scalars(select(ExpenseClaim)).all() == []



def test_the_demo_files_two_draft_claims_through_the_services(db):
    from addons.hr import demo
    from core.models import Company

    session = db.system()
    demo.load(session, session.get(Company, db.main_company.id))
    claims = session.scalars(select(ExpenseClaim).order_by(ExpenseClaim.id)).all()
    assert [(c.employee.name, c.state, c.total) for c in claims] == [
        ("Lucía Fernández", DRAFT, Decimal("109.90")), ("Marco Bianchi", DRAFT, Decimal("240.00"))]
