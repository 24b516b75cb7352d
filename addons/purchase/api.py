"""Purchase's business actions in the JSON API: confirm a purchase order."""
from __future__ import annotations

from core.api.actions import ApiAction

from .models import PurchaseOrder


def _confirm(session, actor, order):
    from .services.orders import confirm_order

    return confirm_order(session, order)


def api_actions() -> list[ApiAction]:
    return [ApiAction(PurchaseOrder, "confirm", _confirm, summary="Confirm a purchase order")]
