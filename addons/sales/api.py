"""Sales' business actions in the JSON API: confirm a quotation as a sales order."""
from __future__ import annotations

from core.api.actions import ApiAction

from .models import SaleOrder


def _confirm(session, actor, order):
    from .services.quotes import confirm_quote

    return confirm_quote(session, order)


def api_actions() -> list[ApiAction]:
    return [ApiAction(SaleOrder, "confirm", _confirm, summary="Confirm a quotation as a sales order")]
