"""Who may do what in stock, always within the user's companies (the core's company rule).

- stock user: processes transfers (receipts, deliveries, internal transfers,
  returns), reserves, scans, creates lots; reads locations, quants and counts;
- stock manager: also keeps warehouses, locations, the stock settings and the
  products' stock fields, runs inventory counts, and keeps the reorder rules
  and the replenishment list (which stock users do not see).

Quants are written only by the move and count services (set-wise, after they
checked the user's rights on the moves), never by a user directly.
Limiting a user to some warehouses is not offered yet: a stock user works in
every warehouse of their companies.
"""
from core import Group, ModelAccess

from . import models as m

USER = "stock.group_user"
MANAGER = "stock.group_manager"

GROUPS = (
    Group(USER, "Stock: user", implies=("products.group_user",)),
    Group(MANAGER, "Stock: manager", implies=(USER,), for_admin=True),
)


def _grant(model, group, letters):
    return ModelAccess(model, group, read="r" in letters, create="c" in letters, write="w" in letters,
                       delete="d" in letters)


ACCESS = (
    *(_grant(model, USER, "r") for model in m.ALL if model not in m.REPLENISHMENT),
    *(_grant(model, USER, "rcw") for model in (m.Transfer, m.StockMove, m.Lot)),
    *(_grant(model, MANAGER, "rcwd") for model in m.ALL),
)
