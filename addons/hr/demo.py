"""Demo people for `bottega demo`: a small company's departments, positions, schedules, employees (the admin among
them, for self-service) with their private data, their contracts, last week's attendances and timesheets, the
admin's kiosk badge (0001, PIN 1234), expense claims, and January's payroll."""
import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from core.models import User

from core.security import load_actor

from . import leaves
from .expenses import demo as expenses
from .payroll import demo as payroll_demo
from .models import (BY_HR, FIXED_TERM, PERMANENT, WEEKDAYS, EmployeePrivate, JobPosition, LeaveType,
                     WorkingSchedule)
from .services import create_company_record, create_contract, create_department, create_employee, start_contract, \
    update_department

EMPLOYEES = (  # name, department, position, manager, login, national id, IBAN, wage, schedule, kind
    ("Lucía Fernández", "Dirección", "Directora general", None, "admin", "12345678Z",
     "ES9121000418450200051332", "4200.00", "Jornada completa", PERMANENT),
    ("Marco Bianchi", "Ventas", "Responsable de ventas", "Lucía Fernández", None, "87654321X",
     "IT60X0542811101000000123456", "3100.00", "Jornada completa", PERMANENT),
    ("Carmen Ruiz", "Ventas", "Comercial", "Marco Bianchi", None, "11223344B", None, "2100.00",
     "Jornada completa", PERMANENT),
    ("Javier López", "Almacén", "Mozo de almacén", None, None, "44332211C", None, "1450.00", "Media jornada",
     FIXED_TERM),
)


def load(session, company) -> None:
    schedules = {
        "Jornada completa": create_company_record(session, WorkingSchedule, company.id, {"name": "Jornada completa"}),
        "Media jornada": create_company_record(session, WorkingSchedule, company.id, {
            "name": "Media jornada", **{f"{day}_hours": 4 for day in WEEKDAYS[:5]}}),
    }
    departments = {"Dirección": create_department(session, company.id, name="Dirección")}
    for name in ("Ventas", "Almacén"):
        departments[name] = create_department(session, company.id, name=name, parent_id=departments["Dirección"].id)
    employees, jobs = {}, {}
    start = dt.date.today().replace(month=1, day=1)
    for (name, department, position, manager, login, national_id, iban, wage, schedule,
         kind) in EMPLOYEES:
        if position not in jobs:
            jobs[position] = create_company_record(session, JobPosition, company.id,
                                                   {"name": position, "department_id": departments[department].id})
        user_id = session.scalar(select(User.id).where(User.login == login)) if login else None
        employee = employees[name] = create_employee(
            session, company.id, name=name, department_id=departments[department].id, job_id=jobs[position].id,
            manager_id=employees[manager].id if manager else None, user_id=user_id,
            work_email=f"{name.split()[0].lower()}@example.com")
        session.add(EmployeePrivate(employee_id=employee.id, company_id=company.id, national_id=national_id,
                                    bank_account=iban))
        contract = create_contract(session, company.id, name=f"CT-{employee.id:04d}", employee_id=employee.id,
                                   kind=kind, date_start=start, wage=Decimal(wage),
                                   date_end=start.replace(year=start.year + 1) if kind == FIXED_TERM else None,
                                   schedule_id=schedules[schedule].id)
        start_contract(session, contract)
    update_department(session, departments["Dirección"], manager_id=employees["Lucía Fernández"].id)
    update_department(session, departments["Ventas"], manager_id=employees["Marco Bianchi"].id)
    _leave(session, company, employees, start.year)
    _time(session, company, employees)
    admin = load_actor(session, session.info["registry"], employees["Lucía Fernández"].user_id)
    expenses.load(session, company, admin, employees)
    payroll_demo.load(session, company)
    session.flush()


def _leave(session, company, employees: dict, year: int) -> None:
    """Vacation (23 days, 5 carried over at most) and sick leave (decided by HR); Carmen's vacation approved by the
    administrator, Javier's waiting."""
    vacation = create_company_record(session, LeaveType, company.id, {"name": "Vacaciones",
                                                                       "max_carry_over_days": Decimal(5)})
    create_company_record(session, LeaveType, company.id, {"name": "Baja por enfermedad", "needs_allocation": False,
                                                           "approver": BY_HR})
    for employee in employees.values():
        leaves.allocate(session, company.id, employee_id=employee.id, leave_type_id=vacation.id, year=year,
                        days=Decimal(23))
    admin = load_actor(session, session.info["registry"], employees["Lucía Fernández"].user_id)
    summer = dt.date(year, 8, 3)
    carmen = leaves.request_leave(session, admin, employee_id=employees["Carmen Ruiz"].id, leave_type_id=vacation.id,
                                  date_from=summer, date_to=summer + dt.timedelta(days=11))
    leaves.approve(session, admin, carmen)
    leaves.request_leave(session, admin, employee_id=employees["Javier López"].id, leave_type_id=vacation.id,
                         date_from=summer + dt.timedelta(days=14), date_to=summer + dt.timedelta(days=18))


def _time(session, company, employees: dict) -> None:
    """Activities; last week's attendances of the full-time people, and their timesheets of that week."""
    from . import attendance, kiosk, timesheets
    from .time_models import WorkActivity

    activities = [create_company_record(session, WorkActivity, company.id, {"name": name})
                  for name in ("Proyecto web", "Soporte a clientes", "Formación")]
    monday = timesheets.monday_of(dt.date.today()) - dt.timedelta(days=7)
    for offset, name in enumerate(("Lucía Fernández", "Marco Bianchi", "Carmen Ruiz")):
        employee = employees[name]
        cells = {}
        for day in range(5):
            start = dt.datetime.combine(monday + dt.timedelta(days=day), dt.time(7, 5 * offset + day))
            attendance.check_in(session, employee, start)
            attendance.check_out(session, employee, start + dt.timedelta(hours=8, minutes=15 * (day % 3)))
            cells[activities[day % 2].id, monday + dt.timedelta(days=day)] = Decimal(6)
            cells[activities[2].id, monday + dt.timedelta(days=day)] = Decimal(2)
        timesheets.save_week(session, employee, monday, cells)
    kiosk.set_badge(session, employees["Lucía Fernández"], "0001", "1234")
