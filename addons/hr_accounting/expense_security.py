"""Who sees and writes the bridge's expense records: HR officers and accountants (posting a claim and paying it
back needs both: the claim is HR's, the entry accounting's); auditors read them."""
from addons.hr.security import OFFICER
from core import ModelAccess

from .expense_models import ClaimPosting, EmployeePartner, ExpenseCategoryAccount

ACCOUNTANT = "accounting.group_accountant"
AUDITOR = "accounting.group_auditor"

EXPENSE_ACCESS = (
    *(ModelAccess(model, group, read=True, create=True, write=True, delete=True)
      for model in (ExpenseCategoryAccount, EmployeePartner, ClaimPosting) for group in (OFFICER, ACCOUNTANT)),
    *(ModelAccess(model, AUDITOR, read=True) for model in (ExpenseCategoryAccount, EmployeePartner, ClaimPosting)),
)
