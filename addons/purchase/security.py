"""Who may do what in purchase, always within the user's companies (the core's company rule).

- purchase user: keeps supplier prices, prepares requests for quotation,
  sends them and confirms orders up to the company's approval amount;
- purchase manager: also approves orders above it, deletes supplier prices
  and keeps the purchase settings.
"""
from core import Group, ModelAccess, N_

from . import models as m

USER = "purchase.group_user"
MANAGER = "purchase.group_manager"

GROUPS = (
    Group(USER, N_("Purchase: user"), implies=("contacts.group_user", "products.group_user")),
    Group(MANAGER, N_("Purchase: manager"), implies=(USER,), for_admin=True),
)


def _grant(model, group, letters):
    return ModelAccess(model, group, read="r" in letters, create="c" in letters, write="w" in letters,
                       delete="d" in letters)


ACCESS = (
    *(_grant(model, MANAGER, "rcwd") for model in m.ALL),
    _grant(m.SupplierPrice, USER, "rcw"),
    _grant(m.PurchaseOrder, USER, "rcwd"),
    _grant(m.OrderLine, USER, "rcwd"),
    _grant(m.PurchaseSettings, USER, "r"),
    _grant(m.PurchaseProduct, USER, "r"),
)
