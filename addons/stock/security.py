"""Who may do what in stock, always within the user's companies (the core's company rule).

- stock user: processes transfers (receipts, deliveries, internal transfers,
  returns), reserves, scans, creates lots; reads locations, quants and counts;
- stock manager: also keeps warehouses, locations, the stock settings and the
  products' stock fields, runs inventory counts, and keeps the reorder rules
  and the replenishment list (which stock users do not see).

Quants are written only by the move and count services (set-wise, after they
checked the user's rights on the moves), never by a user directly.
A user listed on some warehouses (``Warehouse.users``) sees and processes
only the transfers of those warehouses, and their moves (moves outside any
transfer, such as counts', stay visible); a user listed on none works in every
warehouse of their companies. Locations, quants and counts are not limited by
warehouse.
"""
from sqlalchemy import exists, or_, select

from core import Group, ModelAccess, N_, RecordRule

from . import models as m
from .models.locations import warehouse_users

USER = "stock.group_user"
MANAGER = "stock.group_manager"

GROUPS = (
    Group(USER, N_("Stock: user"), implies=("products.group_user",)),
    Group(MANAGER, N_("Stock: manager"), implies=(USER,), for_admin=True),
)


def _grant(model, group, letters):
    return ModelAccess(model, group, read="r" in letters, create="c" in letters, write="w" in letters,
                       delete="d" in letters)


ACCESS = (
    *(_grant(model, USER, "r") for model in m.ALL if model not in m.REPLENISHMENT),
    *(_grant(model, USER, "rcw") for model in (m.Transfer, m.StockMove, m.Lot)),
    *(_grant(model, MANAGER, "rcwd") for model in m.ALL if model is not m.StockSettings),
    _grant(m.StockSettings, MANAGER, "rw"),  # one row per company, made by the setup
)


def _in_my_warehouses(actor):
    mine = select(warehouse_users.c.warehouse_id).where(warehouse_users.c.user_id == actor.user_id)
    return or_(~exists(mine), m.Transfer.warehouse_id.in_(mine))


def _of_my_transfers(actor):
    return or_(m.StockMove.transfer_id.is_(None),
               m.StockMove.transfer_id.in_(select(m.Transfer.id).where(_in_my_warehouses(actor))))


RULES = (
    RecordRule(m.Transfer, "transfers of the user's warehouses", _in_my_warehouses),
    RecordRule(m.StockMove, "moves of the user's warehouses", _of_my_transfers),
)
