"""Who sees and changes expense claims: the employee their own, a manager their team's, HR officers everyone's
(of their companies). The lines follow their claim."""
from sqlalchemy import select, true

from core import ModelAccess, RecordRule

from ..security import EMPLOYEE, MANAGER, OFFICER, my_employee_ids
from ..security import _team_ids as team_ids
from .models import ExpenseCategory, ExpenseClaim, ExpenseLine

ACCESS = (
    ModelAccess(ExpenseCategory, EMPLOYEE, read=True),
    ModelAccess(ExpenseClaim, EMPLOYEE, read=True, create=True, write=True),
    ModelAccess(ExpenseLine, EMPLOYEE, read=True, create=True, write=True, delete=True),
    *(ModelAccess(model, OFFICER, read=True, create=True, write=True, delete=True)
      for model in (ExpenseCategory, ExpenseClaim, ExpenseLine)),
)


def _claims_of(employees):
    return select(ExpenseClaim.id).where(ExpenseClaim.employee_id.in_(employees))


RULES = (
    RecordRule(ExpenseClaim, "own", lambda actor: ExpenseClaim.employee_id.in_(my_employee_ids(actor)),
               groups=(EMPLOYEE,)),
    RecordRule(ExpenseClaim, "own team's", lambda actor: ExpenseClaim.employee_id.in_(team_ids(actor)),
               groups=(MANAGER,), operations=("read", "write")),
    RecordRule(ExpenseClaim, "all", lambda actor: true(), groups=(OFFICER,)),
    RecordRule(ExpenseLine, "own", lambda actor: ExpenseLine.claim_id.in_(_claims_of(my_employee_ids(actor))),
               groups=(EMPLOYEE,)),
    RecordRule(ExpenseLine, "own team's", lambda actor: ExpenseLine.claim_id.in_(_claims_of(team_ids(actor))),
               groups=(MANAGER,), operations=("read",)),
    RecordRule(ExpenseLine, "all", lambda actor: true(), groups=(OFFICER,)),
)
