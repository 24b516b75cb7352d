"""A commission statement and the payroll that took it: where it was paid (a panel on the statement's page), and
no cancelling once payroll has taken it (the salesperson would keep money the books no longer owe)."""
from __future__ import annotations

from flask_babel import format_date, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect, select

from addons.hr.payroll.models import STATES as PAYSLIP_STATES
from addons.hr.payroll.models import Payslip, PayslipInput
from addons.sales.models import STATEMENT_CANCELLED, CommissionStatement
from core.errors import ValidationError
from core.web.panels import Panel


def payroll_of(session, statement: CommissionStatement):
    """The month payroll took ``statement`` into (None when it has not) and the payslip of that month paying it
    (id, name, state; None while no batch computed it again). Read as columns on the session's connection:
    payroll's rows are not the sales manager's to read, and the panel shows only these few facts."""
    connection = session.connection()
    taken = connection.execute(select(PayslipInput.employee_id, PayslipInput.month).where(
        PayslipInput.company_id == statement.company_id, PayslipInput.reference == statement.reference)).first()
    if taken is None:
        return None
    payslip = connection.execute(select(Payslip.id, Payslip.name, Payslip.state).where(
        Payslip.employee_id == taken.employee_id, Payslip.month == taken.month).order_by(Payslip.id.desc())).first()
    return taken.month, payslip


def payroll_panels(session, actor, record):
    if not isinstance(record, CommissionStatement):
        return ()
    found = payroll_of(session, record)
    if found is None:
        return (Panel(title=_l("Payroll"), lines=((str(_l("Paid")), str(_l("Not yet taken into a payroll"))),)),)
    month, payslip = found
    lines = [(str(_l("Payroll month")), format_date(month, "MMMM y"))]
    link = {}
    if payslip is not None:
        lines.append((str(_l("Payslip")), f"{payslip.name} · {dict(PAYSLIP_STATES)[payslip.state]}"))
        if session.info["registry"].can(actor, Payslip, "read"):
            link = {"endpoint": "hr.payslip_view", "endpoint_args": (("record_id", payslip.id),),
                    "link_label": _l("Open the payslip")}
    return (Panel(title=_l("Payroll"), lines=tuple(lines), **link),)


def refuse_cancelling_paid(session, dirty) -> None:
    for record in dirty:
        if not isinstance(record, CommissionStatement) or record.state != STATEMENT_CANCELLED:
            continue
        if inspect(record).attrs.state.history.deleted and payroll_of(session, record) is not None:
            raise ValidationError(gettext(
                "%(reference)s is already in the payroll: it can no longer be cancelled. Correct the payslip "
                "that pays it instead.", reference=record.reference), "state")

