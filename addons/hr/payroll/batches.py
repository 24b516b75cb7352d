"""Payroll services: batches and payslips, computed, posted, and corrected by a reversing payslip.

- one batch per company and month; computing it writes one payslip per contract that overlaps the month,
  all or nothing: the first employee whose payslip cannot be computed stops the batch, named in the error;
- the payslips are computed in Python over data read once (contracts with their wages, rates, inputs) and
  written with :mod:`core.bulk` (one executemany per table);
- draft -> computed -> posted; a posted payslip is never changed (:mod:`.guards`): :func:`correct_payslip`
  posts a reversing payslip (the lines negated) and computes a new one;
- posting tells the installed addons through ``payslips_posted`` (hr_accounting books the journal entry);
- the commissions the installed addons owe (``commission_amounts``, sales' confirmed statements) become
  inputs of the month, each statement once: its reference is unique per company.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from babel import dates as babel_dates
from flask import has_app_context
from flask_babel import format_date, gettext
from sqlalchemy import delete, select

from core.bulk import ID_CHUNK, collector_paused, insert_rows, update_rows
from core.db import utcnow
from core.errors import ValidationError

from ..models import DRAFT as CONTRACT_DRAFT
from ..models import Contract, Employee
from .compute import Calculator, Employment, Result, compile_rules, employment, month_bounds, rules_of
from .models import (COMPUTED, CORRECTION, DRAFT, NORMAL, POSTED, REVERSAL, PayrollRate, PayrollStructure, Payslip,
                     PayslipBatch, PayslipInput, PayslipLine)

COMMISSION_INPUT = "COMMISSION"


def _month_name(month: dt.date) -> str:
    """``March 2026`` in the user's language on a page, in English in a job or the CLI."""
    if has_app_context():
        return format_date(month, "MMMM y")
    return babel_dates.format_date(month, "MMMM y", locale="en")


# --- batches ---------------------------------------------------------------------------------------------------

def create_batch(session, company_id: int, *, month: dt.date, structure_id: int) -> PayslipBatch:
    """A draft batch for ``month`` (any day of it); a second batch of the company for that month is refused."""
    if month is None:
        raise ValidationError(gettext("Give the month to pay."), "month")
    month = month.replace(day=1)
    existing = session.scalars(select(PayslipBatch).where(PayslipBatch.company_id == company_id,
                                                          PayslipBatch.month == month)).first()
    if existing is not None:
        raise ValidationError(gettext(
            "%(month)s already has its payroll batch (%(batch)s): compute it again while it is not posted, or "
            "correct its payslips.", month=_month_name(month), batch=existing.name), "month")
    _structure(session, company_id, structure_id)
    batch = PayslipBatch(company_id=company_id, month=month, structure_id=structure_id,
                         name=gettext("Payroll %(month)s", month=month.strftime("%Y-%m")))
    session.add(batch)
    session.flush()
    return batch


def _structure(session, company_id: int, structure_id: int | None) -> PayrollStructure:
    structure = session.get(PayrollStructure, structure_id) if structure_id else None
    if structure is None or structure.company_id != company_id:
        raise ValidationError(gettext("Choose a salary structure of the company."), "structure_id")
    return structure


def compute_batch(session, batch: PayslipBatch) -> int:
    """(Re)compute the batch's payslips; the number written. Nothing is written when one payslip fails."""
    if batch.state == POSTED:
        raise ValidationError(gettext("Batch %(batch)s is posted: correct its payslips one by one.",
                                      batch=batch.name))
    structure = batch.structure
    first, last = month_bounds(batch.month)
    with collector_paused(), session.begin_nested():
        _collect_commissions(session, batch.company_id, first, last)
        jobs = _employments(session, batch.company_id, first, last)
        calculator = _calculator(session, structure, first)
        inputs = _inputs(session, batch.company_id, first)
        results = [(job, calculator.compute(job, inputs.get(job.employee_id, {}))) for job in jobs]
        _delete_payslips(session, select(Payslip.id).where(Payslip.batch_id == batch.id))
        _write(session, batch.company_id, structure.id, first, results, batch_id=batch.id, state=COMPUTED)
        batch.state = COMPUTED
        session.flush()
    return len(results)


def post_batch(session, batch: PayslipBatch) -> PayslipBatch:
    if batch.state != COMPUTED:
        raise ValidationError(gettext("Compute batch %(batch)s before posting it.", batch=batch.name))
    payslips = list(session.scalars(select(Payslip).where(Payslip.batch_id == batch.id).order_by(Payslip.id)))
    if not payslips:
        raise ValidationError(gettext("Batch %(batch)s has no payslip to post: no contract covers %(month)s.",
                                      batch=batch.name, month=_month_name(batch.month)))
    with session.begin_nested():
        update_rows(session, Payslip, {payslip.id: {"state": POSTED} for payslip in payslips})
        batch.state, batch.posted_at = POSTED, utcnow()
        session.flush()
        _announce(session, payslips)
    return batch


def _announce(session, payslips: list[Payslip]) -> None:
    registry = session.info.get("registry")
    if registry is not None:
        registry.hook.payslips_posted(session=session, payslips=payslips)


# --- one payslip -----------------------------------------------------------------------------------------------

def create_payslip(session, company_id: int, *, employee_id: int, month: dt.date, structure_id: int,
                   kind: str = NORMAL) -> Payslip:
    """A computed payslip of one employee for ``month``, outside the batch (a late hire, a correction)."""
    employee = session.get(Employee, employee_id) if employee_id else None
    if employee is None or employee.company_id != company_id:
        raise ValidationError(gettext("Choose an employee of the company."), "employee_id")
    if month is None:
        raise ValidationError(gettext("Give the month to pay."), "month")
    structure = _structure(session, company_id, structure_id)
    first, last = month_bounds(month)
    jobs = [job for job in _employments(session, company_id, first, last) if job.employee_id == employee.id]
    if not jobs:
        raise ValidationError(gettext("%(employee)s has no contract in %(month)s: there is nothing to pay.",
                                      employee=employee.name, month=_month_name(first)), "month")
    with collector_paused(), session.begin_nested():
        calculator = _calculator(session, structure, first)
        inputs = _inputs(session, company_id, first).get(employee.id, {})
        results = [(job, calculator.compute(job, inputs)) for job in jobs]
        ids = _write(session, company_id, structure.id, first, results, state=COMPUTED, kind=kind)
    return session.get(Payslip, ids[0])


def post_payslip(session, payslip: Payslip) -> Payslip:
    if payslip.state != COMPUTED:
        raise ValidationError(gettext("Only a computed payslip is posted."))
    with session.begin_nested():
        payslip.state = POSTED
        session.flush()
        _announce(session, [payslip])
    return payslip


def correct_payslip(session, payslip: Payslip) -> Payslip:
    """Post the payslip's reversal and compute its replacement from today's data; the replacement is returned
    (computed, to be checked and posted)."""
    if payslip.state != POSTED or payslip.kind == REVERSAL:
        raise ValidationError(gettext("Only a posted payslip is corrected; a draft one is simply computed again."))
    if session.scalar(select(Payslip.id).where(Payslip.reverses_id == payslip.id)) is not None:
        raise ValidationError(gettext("Payslip %(name)s is already reversed: correct its correction.",
                                      name=payslip.name))
    with session.begin_nested():
        reversal = Payslip(
            company_id=payslip.company_id, name=gettext("%(name)s (reversal)", name=payslip.name),
            employee_id=payslip.employee_id, contract_id=payslip.contract_id, structure_id=payslip.structure_id,
            department_id=payslip.department_id, month=payslip.month, date_from=payslip.date_from,
            date_to=payslip.date_to, kind=REVERSAL, reverses_id=payslip.id, gross=-payslip.gross,
            net=-payslip.net, employer_cost=-payslip.employer_cost, state=POSTED,
            lines=[PayslipLine(company_id=line.company_id, sequence=line.sequence, code=line.code, name=line.name,
                               category=line.category, amount=-line.amount) for line in payslip.lines])
        session.add(reversal)
        session.flush()
        _announce(session, [reversal])
        return create_payslip(session, payslip.company_id, employee_id=payslip.employee_id, month=payslip.month,
                              structure_id=payslip.structure_id, kind=CORRECTION)


def delete_payslip(session, payslip: Payslip) -> None:
    if payslip.state == POSTED:
        raise ValidationError(gettext("A posted payslip is never deleted: correct it."))
    _delete_payslips(session, select(Payslip.id).where(Payslip.id == payslip.id))


# --- reading and writing ---------------------------------------------------------------------------------------

def _employments(session, company_id: int, first: dt.date, last: dt.date) -> list[Employment]:
    """The started contracts of the company that overlap the month, with their employees (one query)."""
    rows = session.execute(select(Contract, Employee).join(Employee, Employee.id == Contract.employee_id).where(
        Contract.company_id == company_id, Contract.state != CONTRACT_DRAFT, Contract.date_start <= last,
        (Contract.date_end.is_(None)) | (Contract.date_end >= first)).order_by(Employee.name, Contract.date_start))
    return [employment(employee, contract, first) for contract, employee in rows]


def _calculator(session, structure: PayrollStructure, first: dt.date) -> Calculator:
    rules = compile_rules(structure.name, rules_of(session, structure))
    if not rules:
        raise ValidationError(gettext("Structure %(structure)s has no rule.", structure=structure.name),
                              "structure_id")
    rates = dict(session.execute(select(PayrollRate.code, PayrollRate.value).where(
        PayrollRate.company_id == structure.company_id, PayrollRate.country_code == structure.country_code,
        PayrollRate.year == first.year)).all())
    return Calculator(rules, rates, structure.country_code, first.year)


def _inputs(session, company_id: int, first: dt.date) -> dict[int, dict[str, Decimal]]:
    found: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for employee_id, code, amount in session.execute(select(
            PayslipInput.employee_id, PayslipInput.code, PayslipInput.amount).where(
            PayslipInput.company_id == company_id, PayslipInput.month == first)):
        found[employee_id][code] += amount
    return found


def _collect_commissions(session, company_id: int, first: dt.date, last: dt.date) -> None:
    """Store as inputs of the month the commissions the installed addons owe and that are not stored yet."""
    registry = session.info.get("registry")
    if registry is None:
        return
    owed = [amount for answer in registry.hook.commission_amounts(
        session=session, company_id=company_id, date_from=first, date_to=last) for amount in answer]
    if not owed:
        return
    known = set(session.scalars(select(PayslipInput.reference).where(
        PayslipInput.company_id == company_id, PayslipInput.reference.in_([a.reference for a in owed]))))
    employees = dict(session.execute(select(Employee.user_id, Employee.id).where(
        Employee.company_id == company_id, Employee.user_id.in_({a.user_id for a in owed}))).all())
    rows = [{"company_id": company_id, "employee_id": employees[amount.user_id], "month": first,
             "code": COMMISSION_INPUT, "amount": amount.amount, "reference": amount.reference}
            for amount in owed if amount.reference not in known and amount.user_id in employees]
    insert_rows(session, PayslipInput, rows)


def _delete_payslips(session, ids) -> None:
    """Delete unposted payslips and their lines, set-based (a batch computed again replaces thousands).

    The ids are read through the session, so the user's record rules choose them, and their delete access is
    checked; the DELETEs then go to the connection, as core.bulk's INSERTs do.
    """
    registry, actor = session.info.get("registry"), session.info.get("actor")
    if actor is not None:
        registry.require(actor, Payslip, "delete")
    chosen = list(session.scalars(select(Payslip.id).where(Payslip.id.in_(ids), Payslip.state != POSTED)))
    if not chosen:
        return
    session.flush()
    connection = session.connection()
    for first in range(0, len(chosen), ID_CHUNK):
        chunk = chosen[first:first + ID_CHUNK]
        connection.execute(delete(PayslipLine).where(PayslipLine.payslip_id.in_(chunk)))
        connection.execute(delete(Payslip).where(Payslip.id.in_(chunk)))
    gone = set(chosen)
    for record in list(session.identity_map.values()):
        if isinstance(record, Payslip) and record.id in gone or isinstance(record, PayslipLine) and \
                record.payslip_id in gone:
            session.expunge(record)


def _write(session, company_id: int, structure_id: int, first: dt.date, results: list[tuple[Employment, Result]],
           *, state: str, batch_id: int | None = None, kind: str = NORMAL) -> list[int]:
    stamp = first.strftime("%Y-%m")
    payslips = [{"company_id": company_id, "name": f"{stamp}/{job.employee_name}"[:120], "batch_id": batch_id,
                 "employee_id": job.employee_id, "contract_id": job.contract_id, "structure_id": structure_id,
                 "department_id": job.department_id, "month": first, "date_from": job.date_from,
                 "date_to": job.date_to, "kind": kind, "gross": result.gross, "net": result.net,
                 "employer_cost": result.employer_cost, "state": state}
                for job, result in results]
    ids = insert_rows(session, Payslip, payslips)
    insert_rows(session, PayslipLine, [
        {"company_id": company_id, "payslip_id": payslip_id, "sequence": rule.sequence, "code": rule.code,
         "name": rule.name, "category": rule.category, "amount": amount}
        for payslip_id, (_job, result) in zip(ids, results, strict=True) for rule, amount in result.lines])
    return ids
