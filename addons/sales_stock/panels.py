"""What the bridge shows on a sales order's page: its deliveries (with their backorders and returns) and their
state, for who may read which deliveries are the order's, linked to the transfers list narrowed to the order for
who may read transfers."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from addons.sales.models import SaleOrder
from addons.stock.models import Transfer
from addons.stock.models.moves import STATES
from core.sessions import system_rows
from core.web.panels import Panel

from .deliveries import deliveries_of
from .models import SaleDelivery

_STATE_LABELS = dict(STATES)


def panels(session, actor, record):
    registry = session.info["registry"]
    if not isinstance(record, SaleOrder) or not registry.can(actor, SaleDelivery, "read"):
        return ()
    with system_rows(session) as system:  # a salesperson sees the state of the order's deliveries
        lines = tuple((transfer.name, str(_STATE_LABELS.get(transfer.state, transfer.state)))
                      for transfer in deliveries_of(system, record))
    if not lines:
        return ()
    linked = registry.can(actor, Transfer, "read")
    return (Panel(title=_l("Deliveries"), lines=lines, endpoint="stock.transfer_list" if linked else None,
                  endpoint_args=(("q", record.number),) if linked else ()),)
