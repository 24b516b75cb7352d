"""A company's billing policy, and what it means while stock is or is not installed."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from addons.purchase.models import OrderLine

from ..models import RECEIVED, BillingSettings

#: the bridge that fills the received quantities of order lines
RECEIVING_ADDON = "purchase_stock"


def billing_settings(session: Session, company_id: int) -> BillingSettings | None:
    """The company's settings row, if it has one (none: bill ordered quantities, without tax)."""
    return session.scalars(select(BillingSettings).where(BillingSettings.company_id == company_id)).first()


def receiving(session: Session) -> bool:
    """Whether received quantities are counted (stock and its purchase bridge are installed)."""
    return RECEIVING_ADDON in session.info["registry"].installed


def bills_received(session: Session, company_id: int) -> bool:
    """Whether bills take what was received: the received policy, while something counts receipts. Without
    stock nothing is ever received, so the ordered quantities are billed."""
    settings = billing_settings(session, company_id)
    return settings is not None and settings.policy == RECEIVED and receiving(session)


def billable(line: OrderLine, received_policy: bool):
    """What may be billed of ``line`` in all, in its unit."""
    return line.received_quantity if received_policy else line.quantity
