"""Who may do what in manufacturing, always within the user's companies (the core's company rule).

- manufacturing user: reads work centres and bills, makes and processes production orders (which moves stock,
  so the group implies stock's user);
- manufacturing manager: also keeps work centres and bills of materials, and deletes draft orders.
"""
from core import Group, ModelAccess, N_

from . import models as m

USER = "manufacturing.group_user"
MANAGER = "manufacturing.group_manager"

GROUPS = (
    Group(USER, N_("Manufacturing: user"), implies=("stock.group_user",)),
    Group(MANAGER, N_("Manufacturing: manager"), implies=(USER,), for_admin=True),
)


def _grant(model, group, letters):
    return ModelAccess(model, group, read="r" in letters, create="c" in letters, write="w" in letters,
                       delete="d" in letters)


ACCESS = (
    *(_grant(model, USER, "r") for model in (m.WorkCentre, *m.BOMS)),
    *(_grant(model, USER, "rcw") for model in m.PRODUCTION),
    *(_grant(model, MANAGER, "rcwd") for model in m.ALL),
)
