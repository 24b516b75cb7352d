"""Who reads payroll: the payroll managers of a company everything of it; an employee their own payslips."""
from sqlalchemy import select, true

from core import ModelAccess, RecordRule

from ..security import EMPLOYEE, PAYROLL, my_employee_ids
from .models import ALL, Payslip, PayslipLine

ACCESS = (
    *(ModelAccess(model, PAYROLL, read=True, create=True, write=True, delete=True) for model in ALL),
    ModelAccess(Payslip, EMPLOYEE, read=True),
    ModelAccess(PayslipLine, EMPLOYEE, read=True),
)


def _own_payslips(actor):
    return select(Payslip.id).where(Payslip.employee_id.in_(my_employee_ids(actor)))


RULES = (
    RecordRule(Payslip, "own payslips", lambda actor: Payslip.employee_id.in_(my_employee_ids(actor)),
               groups=(EMPLOYEE,)),
    RecordRule(PayslipLine, "own payslips' lines", lambda actor: PayslipLine.payslip_id.in_(_own_payslips(actor)),
               groups=(EMPLOYEE,)),
    *(RecordRule(model, "all payslips", lambda actor: true(), groups=(PAYROLL,)) for model in (Payslip, PayslipLine)),
)
