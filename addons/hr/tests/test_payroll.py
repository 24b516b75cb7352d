import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from addons.hr.payroll.batches import (compute_batch, correct_payslip, create_batch, create_payslip, post_batch)
from addons.hr.payroll.documents import payslip_html, render_payslip
from addons.hr.payroll.examples import load_example
from addons.hr.payroll.models import (COMPUTED, POSTED, REVERSAL, PayrollRate, PayrollStructure, Payslip,
                                      PayslipBatch, PayslipInput, PayslipLine, SalaryRule)
from addons.hr.payroll.report import cost_by_department
from addons.hr.payroll.rules import create_rule, update_rule
from addons.hr.services import create_contract, create_department, create_employee, start_contract
from core import hookimpl
from core.commissions import CommissionAmount
from core.errors import AccessDenied, ValidationError
from core.testing import pdf_text

PAYROLL = "hr.group_payroll"
MARCH = dt.date(2026, 3, 1)


def _people(db, session, company_id, *staff):
    """Employees with running contracts: (name, wage, start, end, department)."""
    employees = {}
    departments = {}
    users = {name: db.user(name.lower(), groups=["hr.group_employee"], lang="es" if name == "Ana" else "it")
             for name, *_rest in staff}
    for name, wage, start, end, department in staff:
        if department and department not in departments:
            departments[department] = create_department(session, company_id, name=department)
        user = users[name]
        employee = create_employee(session, company_id, name=name, user_id=user.id,
                                   department_id=departments[department].id if department else None)
        contract = create_contract(session, company_id, name=f"C-{name}", employee_id=employee.id,
                                   date_start=start, date_end=end, wage=Decimal(wage))
        start_contract(session, contract)
        employees[name] = (employee, user)
    return employees


@pytest.fixture
def payroll(db):
    manager = db.user("payroll", groups=[PAYROLL])
    company_id = db.main_company.id
    system = db.system()
    staff = _people(db, system, company_id,
                    ("Ana", "3000.00", dt.date(2025, 1, 1), None, "Sales"),
                    ("Bruno", "2000.00", dt.date(2026, 3, 16), None, "Sales"),
                    ("Carla", "2500.00", dt.date(2024, 6, 1), dt.date(2026, 2, 28), "Direction"))
    system.commit()
    session = db.as_user(manager)
    structure = load_example(session, company_id, country="ES", year=2026)
    return session, company_id, structure, staff


def _lines(payslip):
    return {line.code: line.amount for line in payslip.lines}


def test_a_batch_pays_each_contract_of_the_month_prorated_by_calendar_days(payroll):
    session, company_id, structure, _staff = payroll
    batch = create_batch(session, company_id, month=dt.date(2026, 3, 17), structure_id=structure.id)
    assert batch.month == MARCH
    assert compute_batch(session, batch) == 2  # Carla's contract ended in February
    slips = {p.employee.name: p for p in session.scalars(select(Payslip).where(Payslip.batch_id == batch.id))}
    ana, bruno = _lines(slips["Ana"]), _lines(slips["Bruno"])
    assert ana["BASIC"] == Decimal("3000.00")
    assert bruno["BASIC"] == Decimal("1032.26")  # 16 of 31 days
    assert ana["SS_CC"] == Decimal("141.00") and ana["IRPF"] == Decimal("450.00")
    employee_ss = ana["SS_CC"] + ana["SS_UNEMP"] + ana["SS_FP"] + ana["SS_MEI"]
    assert ana["NET"] == Decimal("3000.00") - employee_ss - ana["IRPF"] == slips["Ana"].net
    assert slips["Ana"].employer_cost == Decimal("3000.00") + sum(
        amount for code, amount in ana.items() if code.startswith("ER_"))
    assert len(slips["Ana"].lines) == len(structure.rules) == 14
    assert batch.state == COMPUTED and {p.state for p in slips.values()} == {COMPUTED}


def test_computing_again_replaces_the_payslips_and_posting_freezes_them(payroll):
    session, company_id, structure, _staff = payroll
    batch = create_batch(session, company_id, month=MARCH, structure_id=structure.id)
    compute_batch(session, batch)
    compute_batch(session, batch)
    assert session.scalar(select(func.count()).select_from(Payslip).where(Payslip.batch_id == batch.id)) == 2
    post_batch(session, batch)
    assert batch.state == POSTED
    session.commit()
    slip = session.scalars(select(Payslip).where(Payslip.batch_id == batch.id)).first()
    slip.net = Decimal("1.00")
    with pytest.raises(ValidationError, match="is posted: it is never changed"):
        session.flush()
    session.rollback()
    line = session.scalars(select(PayslipLine).where(PayslipLine.payslip_id == slip.id)).first()
    line.amount = Decimal("0")
    with pytest.raises(ValidationError, match="is posted"):
        session.flush()
    session.rollback()
    with pytest.raises(ValidationError, match="is posted: correct its payslips"):
        compute_batch(session, session.get(PayslipBatch, batch.id))


def test_a_second_batch_for_the_same_month_is_refused(payroll):
    session, company_id, structure, _staff = payroll
    create_batch(session, company_id, month=MARCH, structure_id=structure.id)
    with pytest.raises(ValidationError, match=r"March 2026 already has its payroll batch \(Payroll 2026-03\)") as e:
        create_batch(session, company_id, month=dt.date(2026, 3, 31), structure_id=structure.id)
    assert e.value.field == "month"
    assert session.scalar(select(func.count()).select_from(PayslipBatch)) == 1


def test_a_correction_reverses_the_posted_payslip_and_computes_a_new_one(db, payroll):
    session, company_id, structure, staff = payroll
    batch = create_batch(session, company_id, month=MARCH, structure_id=structure.id)
    compute_batch(session, batch)
    post_batch(session, batch)
    original = session.scalars(select(Payslip).where(Payslip.employee_id == staff["Ana"][0].id)).one()
    new = correct_payslip(session, original)
    reversal = session.scalars(select(Payslip).where(Payslip.reverses_id == original.id)).one()
    assert reversal.kind == REVERSAL and reversal.state == POSTED and reversal.net == -original.net
    assert _lines(reversal) == {code: -amount for code, amount in _lines(original).items()}
    assert new.state == COMPUTED and new.net == original.net and new.id not in (original.id, reversal.id)
    with pytest.raises(ValidationError, match="already reversed"):
        correct_payslip(session, original)


def test_a_payslip_for_a_month_without_contract_is_refused(payroll):
    session, company_id, structure, staff = payroll
    with pytest.raises(ValidationError, match="Carla has no contract in April 2026: there is nothing to pay") as e:
        create_payslip(session, company_id, employee_id=staff["Carla"][0].id, month=dt.date(2026, 4, 1),
                       structure_id=structure.id)
    assert e.value.field == "month"
    assert session.scalar(select(func.count()).select_from(Payslip)) == 0


def _rule(session, structure, code, formula, sequence=500, category="deduction"):
    session.add(SalaryRule(company_id=structure.company_id, structure_id=structure.id, sequence=sequence,
                           code=code, name=code.title(), category=category, formula=formula))
    session.flush()


@pytest.mark.parametrize("formula, problem", [
    ("BASIC / (worked_days - worked_days)", "it divides by zero"),
    ('BASIC * rate("ES_NOT_THERE")', "the rate table has no ES_NOT_THERE for ES 2026"),
])
def test_a_failing_rule_names_the_rule_and_employee_and_writes_nothing(payroll, formula, problem):
    session, company_id, structure, _staff = payroll
    _rule(session, structure, "BAD", formula)
    batch = create_batch(session, company_id, month=MARCH, structure_id=structure.id)
    with pytest.raises(ValidationError, match=rf"Payslip of Ana, rule BAD \(Bad\): {problem}"):
        compute_batch(session, batch)
    assert session.scalar(select(func.count()).select_from(Payslip)) == 0
    assert session.get(PayslipBatch, batch.id).state == "draft"


@pytest.mark.parametrize("formula, problem", [
    ("NOPE * 2", "it refers to NOPE, which is no rule of the structure"),
    ("LATER + 1", r"it refers to LATER, which is computed after it \(a cycle"),
    ("SELF + 1", "it refers to itself"),
    ("wage.__class__", "the formula uses Attribute"),
    ("__import__('os')", "the formula calls something that is not one of"),
    ("1 +", "the formula is not valid"),
])
def test_a_rule_reading_a_missing_or_later_rule_is_refused_when_saved(payroll, formula, problem):
    session, company_id, structure, _staff = payroll
    create_rule(session, company_id, structure_id=structure.id, sequence=900, code="LATER", name="Later",
                category="deduction", formula="1")
    with pytest.raises(ValidationError, match=problem):
        create_rule(session, company_id, structure_id=structure.id, sequence=5, code="SELF", name="Self",
                    category="deduction", formula=formula)
    later = session.scalars(select(SalaryRule).where(SalaryRule.code == "LATER")).one()
    with pytest.raises(ValidationError, match=r"rule BASIC \(Base salary\): it refers to LATER, which is computed"):
        basic = session.scalars(select(SalaryRule).where(SalaryRule.code == "BASIC",
                                                         SalaryRule.structure_id == structure.id)).one()
        update_rule(session, basic, formula="wage + LATER")
    assert later.formula == "1"


def test_a_rule_saved_wrong_behind_the_services_back_stops_the_batch(payroll):
    session, company_id, structure, _staff = payroll
    _rule(session, structure, "LOOP", "LOOP + 1")
    batch = create_batch(session, company_id, month=MARCH, structure_id=structure.id)
    with pytest.raises(ValidationError, match=r"rule LOOP \(Loop\): it refers to itself"):
        compute_batch(session, batch)
    assert session.scalar(select(func.count()).select_from(Payslip)) == 0


def test_rates_are_data_per_country_and_year(payroll):
    session, company_id, structure, _staff = payroll
    rate = session.scalars(select(PayrollRate).where(PayrollRate.code == "ES_IRPF")).one()
    rate.value = Decimal("0.10")
    session.flush()
    batch = create_batch(session, company_id, month=MARCH, structure_id=structure.id)
    compute_batch(session, batch)
    ana = session.scalars(select(Payslip).where(Payslip.name.like("%Ana"))).one()
    assert _lines(ana)["IRPF"] == Decimal("300.00")
    next_year = create_batch(session, company_id, month=dt.date(2027, 1, 1), structure_id=structure.id)
    with pytest.raises(ValidationError, match="the rate table has no ES_CC_EMPLOYEE for ES 2027"):
        compute_batch(session, next_year)


def test_the_example_structures_are_labelled_and_loaded_once(payroll):
    session, company_id, structure, _staff = payroll
    assert structure.is_example and "have it checked by your adviser" in structure.note
    italy = load_example(session, company_id, country="it", year=2026)
    assert [rule.code for rule in italy.rules][:4] == ["BASIC", "SUPPL", "COMM", "INPS"]
    with pytest.raises(ValidationError, match="already loaded"):
        load_example(session, company_id, country="IT", year=2026)
    with pytest.raises(ValidationError, match="no example structure for FR"):
        load_example(session, company_id, country="FR", year=2026)


def test_an_employee_reads_only_their_own_payslips_and_no_wage(db, payroll):
    session, company_id, structure, staff = payroll
    batch = create_batch(session, company_id, month=MARCH, structure_id=structure.id)
    compute_batch(session, batch)
    post_batch(session, batch)
    session.commit()
    ana = db.as_user(staff["Ana"][1])
    assert [p.employee.name for p in ana.scalars(select(Payslip))] == ["Ana"]
    assert {line.payslip.employee_id for line in ana.scalars(select(PayslipLine))} == {staff["Ana"][0].id}
    bruno_slip = session.scalars(select(Payslip).where(Payslip.employee_id == staff["Bruno"][0].id)).one()
    assert ana.get(Payslip, bruno_slip.id) is None
    with pytest.raises(AccessDenied):
        create_batch(ana, company_id, month=dt.date(2026, 4, 1), structure_id=structure.id)


def test_the_payslip_pdf_is_in_the_employees_language(payroll):
    session, company_id, structure, staff = payroll
    batch = create_batch(session, company_id, month=MARCH, structure_id=structure.id)
    compute_batch(session, batch)
    ana = session.scalars(select(Payslip).where(Payslip.employee_id == staff["Ana"][0].id)).one()
    bruno = session.scalars(select(Payslip).where(Payslip.employee_id == staff["Bruno"][0].id)).one()
    assert "Nómina" in payslip_html(session, ana) and "Salario base" in payslip_html(session, ana)
    assert "Busta paga" in payslip_html(session, bruno)
    words = pdf_text(render_payslip(session, ana, "en"))
    assert "Payslip" in words and "Net pay" in words and "3,000.00" in words


def test_the_cost_report_groups_posted_payslips_by_department_and_month(payroll):
    session, company_id, structure, _staff = payroll
    batch = create_batch(session, company_id, month=MARCH, structure_id=structure.id)
    compute_batch(session, batch)
    assert cost_by_department(session, company_id, year=2026).rows == {}
    post_batch(session, batch)
    table = cost_by_department(session, company_id, year=2026)
    slips = session.scalars(select(Payslip)).all()
    assert list(table.rows) == ["Sales"]
    assert table.rows["Sales"] == {3: sum(p.employer_cost for p in slips)}


class _Commissions:
    """A stand-in for sales: one confirmed statement owed to Ana, answered for whichever period is asked."""

    def __init__(self, user_id):
        self.user_id = user_id

    @hookimpl
    def commission_amounts(self, session, company_id, date_from, date_to):
        return [CommissionAmount(user_id=self.user_id, date_from=MARCH, date_to=dt.date(2026, 3, 31),
                                 amount=Decimal("500.00"), currency_code="EUR", reference="COM/2026/00001")]


@pytest.fixture
def commissions(db, payroll):
    plugin = _Commissions(payroll[3]["Ana"][1].id)
    db.registry.pm.register(plugin, name="test-commissions")
    yield
    db.registry.pm.unregister(plugin)


def test_a_confirmed_commission_becomes_a_payslip_input_once(payroll, commissions):
    session, company_id, structure, staff = payroll
    batch = create_batch(session, company_id, month=MARCH, structure_id=structure.id)
    compute_batch(session, batch)
    compute_batch(session, batch)  # computed again: the statement is not stored twice
    inputs = session.scalars(select(PayslipInput)).all()
    assert [(i.reference, i.amount, i.employee_id) for i in inputs] == [
        ("COM/2026/00001", Decimal("500.00"), staff["Ana"][0].id)]
    ana = session.scalars(select(Payslip).where(Payslip.employee_id == staff["Ana"][0].id)).one()
    assert _lines(ana)["COMM"] == Decimal("500.00") and ana.gross == Decimal("3500.00")
    post_batch(session, batch)
    april = create_batch(session, company_id, month=dt.date(2026, 4, 1), structure_id=structure.id)
    compute_batch(session, april)  # the hook answers the same statement again: it was paid in March
    ana_april = session.scalars(select(Payslip).where(Payslip.employee_id == staff["Ana"][0].id,
                                                      Payslip.batch_id == april.id)).one()
    assert _lines(ana_april)["COMM"] == Decimal("0.00")


def test_another_employees_pay_is_not_read_by_url_pdf_export_or_report(web):
    company_id = web.db.main_company.id
    system = web.db.system()
    staff = _people(web.db, system, company_id, ("Ana", "3000.00", dt.date(2025, 1, 1), None, "Sales"),
                    ("Bruno", "2000.00", dt.date(2025, 1, 1), None, "Sales"))
    structure = load_example(system, company_id, country="ES", year=2026)
    batch = create_batch(system, company_id, month=MARCH, structure_id=structure.id)
    compute_batch(system, batch)
    post_batch(system, batch)
    system.commit()
    slips = {p.employee.name: p.id for p in system.scalars(select(Payslip))}
    ana = web.client()
    ana.login(staff["Ana"][1].login)
    own = ana.get(f"/hr/payslips/{slips['Ana']}")
    assert own.status_code == 200, own.get_data(as_text=True)[-3000:]
    assert ana.get(f"/hr/payslips/{slips['Ana']}/pdf").data.startswith(b"%PDF")
    assert ana.get(f"/hr/payslips/{slips['Bruno']}").status_code == 404
    assert ana.get(f"/hr/payslips/{slips['Bruno']}/pdf").status_code == 404
    exported = ana.get("/hr/payslips/export.csv").get_data(as_text=True)
    assert "2026-03/Ana" in exported and "Bruno" not in exported
    assert ana.get("/hr/payroll-cost").status_code == 403
    assert ana.get("/hr/payslip-batches/").status_code == 403
    assert ana.get("/hr/contracts/").status_code == 403
    manager = web.client()
    manager.login(web.db.user("payroll-main", groups=[PAYROLL]).login)
    page = manager.get("/hr/payroll-cost?year=2026").get_data(as_text=True)
    assert '<figure class="graph graph-bar">' in page and "<title id=\"chart-title\">Payroll cost by department" in page
    exported = manager.get("/hr/payroll-cost?year=2026&format=csv").get_data(as_text=True).lstrip("\ufeff")
    header, sales = exported.splitlines()
    assert header.startswith("Department,2026-01,") and header.endswith(",Total")
    cost = sum(system.get(Payslip, slip_id).employer_cost for slip_id in slips.values())
    assert sales.split(",")[0] == "Sales" and sales.split(",")[3] == sales.split(",")[-1] == str(cost)
    elsewhere = web.db.company("Otra S.L.")
    other_manager = web.client()
    other_manager.login(web.db.user("payroll-otra", groups=[PAYROLL], companies=[elsewhere]).login)
    assert other_manager.get(f"/hr/payslips/{slips['Ana']}").status_code == 404
    assert "Ana" not in other_manager.get("/hr/payslips/export.csv").get_data(as_text=True)


def test_the_demo_computes_januarys_payroll(db):
    from addons.hr import demo

    session = db.system()
    company = session.get(type(db.main_company), db.main_company.id)
    demo.load(session, company)
    batch = session.scalars(select(PayslipBatch)).one()
    assert batch.month == dt.date(dt.date.today().year, 1, 1) and batch.state == COMPUTED
    assert session.scalar(select(func.count()).select_from(Payslip).where(Payslip.batch_id == batch.id)) == 4
