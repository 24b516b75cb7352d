"""Who sees and does what in the bridge, always within the user's companies (the core's company rule).

- Bills are made by who makes bills in accounting (billing users,
  accountants), who therefore read purchase orders; the links between bill
  and order lines are written by the system when a bill is made, and carried
  over to the new lines when they edit the draft.
- Buyers see which bills an order has; purchase managers and accountants
  accept a bill's differences from its order (the acceptance is audited).
- The billing settings are kept by accountants and purchase managers.
"""
from addons.purchase.models import OrderLine, PurchaseOrder
from core import ModelAccess

from .models import Acceptance, BillingSettings, BillLine

PURCHASE_USER = "purchase.group_user"
PURCHASE_MANAGER = "purchase.group_manager"
BILLING = "accounting.group_billing"
ACCOUNTANT = "accounting.group_accountant"
AUDITOR = "accounting.group_auditor"


def _grant(model, group, letters):
    return ModelAccess(model, group, read="r" in letters, create="c" in letters, write="w" in letters,
                       delete="d" in letters)


ACCESS = (
    *(_grant(model, group, "r") for model in (PurchaseOrder, OrderLine) for group in (BILLING, AUDITOR)),
    *(_grant(model, group, "r") for model in (BillLine, Acceptance, BillingSettings)
      for group in (PURCHASE_USER, BILLING, AUDITOR)),
    *(_grant(BillLine, group, "c") for group in (BILLING, ACCOUNTANT)),
    *(_grant(Acceptance, group, "cw") for group in (PURCHASE_MANAGER, ACCOUNTANT)),
    *(_grant(BillingSettings, group, "rcw") for group in (PURCHASE_MANAGER, ACCOUNTANT)),
)
