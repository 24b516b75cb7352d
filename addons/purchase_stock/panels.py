"""What the bridge shows on a purchase order's page: its receipts (with their backorders and returns) and their
state, linked to the transfers list narrowed to the order, for who may read transfers."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from addons.purchase.models import PurchaseOrder
from addons.stock.models import Transfer
from addons.stock.models.moves import STATES
from core.web.panels import Panel

from .models import OrderReceipt

_STATE_LABELS = dict(STATES)


def panels(session, actor, record):
    if not isinstance(record, PurchaseOrder) or not session.info["registry"].can(actor, Transfer, "read"):
        return ()
    receipts = session.scalars(select(Transfer).join(OrderReceipt, OrderReceipt.transfer_id == Transfer.id)
                               .where(OrderReceipt.order_id == record.id).order_by(Transfer.id)).all()
    if not receipts:
        return ()
    return (Panel(title=_l("Receipts"), lines=tuple((transfer.name, str(_STATE_LABELS.get(transfer.state,
                                                                                             transfer.state)))
                                                     for transfer in receipts),
                  endpoint="stock.transfer_list", endpoint_args=(("q", record.number),)),)
