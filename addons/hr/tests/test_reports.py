"""HR reports: headcount with hires and leavers, leave balances, absence rate; each in a constant number of
queries, with a chart and CSV/XLSX exports; HR officers read them all, a manager their team's balances."""
import datetime as dt
import io
from decimal import Decimal

import pytest
from sqlalchemy import event

from addons.hr import leaves
from addons.hr.models import APPROVED, LeaveRequest, LeaveType
from addons.hr.reports.absence import absence_rate
from addons.hr.reports.balances import leave_balances
from addons.hr.reports.headcount import headcount
from addons.hr.services import create_company_record, create_contract, create_employee, end_contract, start_contract

YEAR = 2026


@pytest.fixture
def figures(web, people):
    """Boss under contract from 15 March to 30 June; Eva's 5 days of vacation in February approved (of 22)."""
    session = web.db.system()
    company_id = people["company"]
    boss = create_contract(session, company_id, name="C-boss", employee_id=people["boss"],
                           date_start=dt.date(YEAR, 3, 15), wage=Decimal(3000))
    start_contract(session, boss)
    end_contract(session, boss, on=dt.date(YEAR, 6, 30))
    vacation = create_company_record(session, LeaveType, company_id, {"name": "Vacation"})
    leaves.allocate(session, company_id, employee_id=people["eva"], leave_type_id=vacation.id, year=YEAR,
                    days=Decimal(22))
    session.add(LeaveRequest(company_id=company_id, employee_id=people["eva"], leave_type_id=vacation.id,
                             date_from=dt.date(YEAR, 2, 2), date_to=dt.date(YEAR, 2, 6), days=Decimal(5),
                             state=APPROVED))
    session.commit()
    return people


def _officer(web, people):
    return web.db.as_user(people["users"]["hr"])


def test_headcount_by_department_and_month_with_hires_and_leavers(web, figures):
    report = headcount(_officer(web, figures), YEAR)
    sales = {row.first_day.month: (row.headcount, row.hires, row.leavers)
             for row in report.rows if row.department == "Sales"}
    assert sales[1] == (1, 1, 0) and sales[2] == (1, 0, 0) and sales[3] == (2, 1, 0)
    assert sales[6] == (2, 0, 1) and sales[7] == (1, 0, 0)  # on his last day, 30 June, Boss still counts
    assert report.totals[0][1]["hires"] == 2 and report.totals[0][1]["leavers"] == 1


def test_absence_rate_is_leave_days_over_scheduled_days(web, figures):
    report = absence_rate(_officer(web, figures), YEAR)
    february = next(row for row in report.rows if row.month == "2026-02" and row.department == "Sales")
    assert (february.scheduled, february.absent, february.rate) == (Decimal(20), Decimal(5), Decimal("25.00"))
    april = next(row for row in report.rows if row.month == "2026-04" and row.department == "Sales")
    assert april.scheduled == Decimal(22 + 22) and april.absent == 0  # Eva and Boss, Monday to Friday


def test_leave_balances_per_employee_and_type(web, figures):
    report = leave_balances(_officer(web, figures), YEAR)
    assert [(r.employee, r.leave_type, r.allocated, r.taken, r.left) for r in report.rows] == [
        ("Eva Ruiz", "Vacation", Decimal(22), Decimal(5), Decimal(17))]


def _count_queries(session, compute):
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", listener)
    try:
        compute()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len([s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))])


def test_each_report_takes_the_same_number_of_queries_for_more_people(web, figures):
    officer = _officer(web, figures)
    before = [_count_queries(officer, lambda f=f: f(officer, YEAR)) for f in (headcount, absence_rate, leave_balances)]
    session = web.db.system()
    vacation = session.query(LeaveType).one()
    for n in range(6):
        employee = create_employee(session, figures["company"], name=f"Extra {n}", department_id=figures["sales"])
        start_contract(session, create_contract(session, figures["company"], name=f"X-{n}", employee_id=employee.id,
                                                date_start=dt.date(YEAR, 1, 1), wage=Decimal(1)))
        leaves.allocate(session, figures["company"], employee_id=employee.id, leave_type_id=vacation.id, year=YEAR,
                        days=Decimal(10))
    session.commit()
    officer = _officer(web, figures)
    after = [_count_queries(officer, lambda f=f: f(officer, YEAR)) for f in (headcount, absence_rate, leave_balances)]
    assert after == before


def test_the_page_draws_a_chart_and_exports_csv_and_xlsx(figures, login):
    client = login(figures["users"]["hr"])
    for key in ("headcount", "balances", "absence"):
        page = client.get(f"/hr/reports?report={key}&year={YEAR}")
        assert page.status_code == 200, key
        assert '<figure class="graph' in page.get_data(as_text=True), key
    csv = client.get(f"/hr/reports/export.csv?report=balances&year={YEAR}")
    assert csv.status_code == 200 and "Eva Ruiz,Vacation,22.00,5.00,17.00" in csv.get_data(as_text=True)
    xlsx = client.get(f"/hr/reports/export.xlsx?report=absence&year={YEAR}")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert [cell.value for cell in next(sheet.iter_rows(min_row=3, max_row=3))][:3] == ["Month", "Department",
                                                                                       "Days scheduled"]
    refused = client.get("/hr/reports?report=headcount&year=20x6")
    assert refused.status_code == 422 and "write a year from 2000 to 2100" in refused.get_data(as_text=True)


def test_a_manager_reads_their_teams_balances_only_and_no_headcount(figures, login):
    boss = login(figures["users"]["boss"])
    assert boss.get(f"/hr/reports?report=headcount&year={YEAR}").status_code == 403
    assert boss.get(f"/hr/reports/export.csv?report=absence&year={YEAR}").status_code == 403
    balances = boss.get(f"/hr/reports/export.csv?report=balances&year={YEAR}").get_data(as_text=True)
    assert "Eva Ruiz" in balances
    other = login(figures["users"]["other"]).get(f"/hr/reports/export.csv?report=balances&year={YEAR}")
    assert "Eva Ruiz" not in other.get_data(as_text=True)
    alien = login(figures["users"]["alien"])
    assert "Eva Ruiz" not in alien.get(f"/hr/reports/export.csv?report=balances&year={YEAR}").get_data(as_text=True)
    assert "Sales" not in alien.get(f"/hr/reports/export.csv?report=headcount&year={YEAR}").get_data(as_text=True)
