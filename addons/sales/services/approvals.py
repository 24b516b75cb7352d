"""The company's rules on confirming a quotation (minimum margin, credit) and a sales manager's approvals.

:func:`concerns` lists what is wrong with a quotation under the company's
settings; :func:`check_confirmation` (called by ``confirm_quote``) refuses a
quotation the credit policy blocks, and one that needs an approval it does
not have. A salesperson asks for approval (:func:`request_approval`); a sales
manager approves or refuses it with a reason. An approval covers the rules it
was asked for and the quotation as it then was: changing its lines or totals
voids it.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy.orm import Session

from core.db import utcnow
from core.errors import AccessDenied, ValidationError
from core.security.records import require_write
from core.sessions import system_rows
from core.web.i18n import money

from ..models import APPROVAL, APPROVED, BLOCK, EDITABLE, PENDING, REFUSED, SaleApproval, SaleOrder
from ..security import MANAGER
from .credit import credit_check
from .settings import sales_settings

MARGIN, CREDIT = "margin", "credit"


@dataclass(frozen=True)
class Concern:
    """One rule the quotation breaks: ``kind`` (margin or credit), what the company's policy does, and why."""

    kind: str
    policy: str
    text: str


class ApprovalRequired(ValidationError):
    """Confirming needs a sales manager's approval the quotation does not have (yet)."""


def concerns(session: Session, order: SaleOrder, *, today: dt.date | None = None) -> list[Concern]:
    """What the company's settings say is wrong with the quotation: its margin, its customer's credit."""
    settings = sales_settings(session, order.company_id)
    found = []
    minimum = settings.min_margin_percent
    if minimum is not None and order.margin * 100 < minimum * order.amount_untaxed:
        found.append(Concern(MARGIN, settings.margin_policy, _margin_text(order, minimum)))
    credit = credit_check(session, order, today=today)
    if credit.problem:
        found.append(Concern(CREDIT, settings.credit_policy, credit.message()))
    return found


def _margin_text(order: SaleOrder, minimum: Decimal) -> str:
    margin = money(order.margin, order.currency_code)
    if order.margin_percent is None:
        return gettext("The margin of %(order)s is %(margin)s, under the company's minimum of %(minimum)s%%.",
                       order=order.display_name, margin=margin, minimum=minimum)
    return gettext("The margin of %(order)s is %(margin)s (%(percent)s%%), under the company's minimum of "
                   "%(minimum)s%%.", order=order.display_name, margin=margin, percent=order.margin_percent,
                   minimum=minimum)


def fingerprint(order: SaleOrder) -> str:
    """A digest of what an approval is given for: the customer, the currency, the lines and the totals."""
    lines = [(line.kind, line.product_id, line.description, _n(line.quantity), line.uom_id, _n(line.unit_price),
              _n(line.discount), bool(line.optional), sorted(tax.id for tax in line.taxes)) for line in order.lines]
    summary = (order.partner_id, order.currency_code, _n(order.amount_untaxed), _n(order.amount_tax),
               _n(order.amount_total), lines)
    return hashlib.sha256(repr(summary).encode()).hexdigest()


def _n(value) -> str:
    return str(Decimal(value or 0).normalize())


def latest_approval(order: SaleOrder) -> SaleApproval | None:
    return order.approvals[-1] if order.approvals else None


def is_current(approval: SaleApproval, order: SaleOrder) -> bool:
    """Whether the approval was given for the quotation as it is now."""
    return approval.fingerprint == fingerprint(order)


def _covers(approval: SaleApproval | None, order: SaleOrder, needing: list[Concern]) -> bool:
    return (approval is not None and approval.state == APPROVED and is_current(approval, order)
            and covers_kinds(approval, needing))


def check_confirmation(session: Session, order: SaleOrder, *, today: dt.date | None = None) -> None:
    """Refuse to confirm a quotation the credit policy blocks, or one needing an approval it does not have."""
    found = concerns(session, order, today=today)
    blocking = [concern for concern in found if concern.policy == BLOCK]
    if blocking:
        raise ValidationError(gettext("%(order)s cannot be confirmed: %(reasons)s The company's credit policy "
                                      "blocks it.", order=order.display_name, reasons=_texts(blocking)), "partner_id")
    needing = [concern for concern in found if concern.policy == APPROVAL]
    approval = latest_approval(order)
    if needing and not _covers(approval, order, needing):
        raise ApprovalRequired(_missing_approval(order, approval, needing), "state")


def _texts(found: list[Concern]) -> str:
    return " ".join(concern.text for concern in found)


def _missing_approval(order: SaleOrder, approval: SaleApproval | None, needing: list[Concern]) -> str:
    reasons = _texts(needing)
    if approval is not None and approval.state == PENDING and is_current(approval, order):
        return gettext("%(order)s is waiting for a sales manager's approval: %(reasons)s",
                       order=order.display_name, reasons=reasons)
    if approval is not None and approval.state == REFUSED and is_current(approval, order):
        return gettext("A sales manager refused to approve %(order)s: %(reason)s",
                       order=order.display_name, reason=approval.refusal_reason)
    return gettext("%(order)s needs a sales manager's approval before it is confirmed: %(reasons)s "
                   "Ask for it with “Request approval”.", order=order.display_name, reasons=reasons)


def needs_approval(session: Session, order: SaleOrder, *, today: dt.date | None = None) -> list[Concern]:
    """The concerns an approval must cover before the quotation can be confirmed (empty: none needed)."""
    return [concern for concern in concerns(session, order, today=today) if concern.policy == APPROVAL]


def request_approval(session: Session, order: SaleOrder, *, today: dt.date | None = None) -> SaleApproval:
    """Ask a sales manager to approve the quotation, as it is now, for the rules it breaks.

    The salesperson must be able to change the quotation; the request is
    written as the system (a salesperson never writes approvals, so none can
    write one already approved).
    """
    require_write(session, SaleOrder, [order])
    if order.state not in EDITABLE:
        raise ValidationError(gettext("Only a quotation can be sent for approval; %(order)s is no longer one.",
                                      order=order.display_name), "state")
    needing = needs_approval(session, order, today=today)
    if not needing:
        raise ValidationError(gettext("%(order)s needs no approval: it can be confirmed.",
                                      order=order.display_name), "state")
    current = latest_approval(order)
    if current is not None and current.state in (PENDING, APPROVED) and covers_kinds(current, needing) \
            and is_current(current, order):
        raise ValidationError(gettext("%(order)s has already been sent for approval.", order=order.display_name),
                              "state")
    actor = session.info.get("actor")
    with system_rows(session) as system:
        approval = SaleApproval(company_id=order.company_id, order_id=order.id, state=PENDING,
                                reasons=_texts(needing), kinds=",".join(sorted({c.kind for c in needing})),
                                fingerprint=fingerprint(order), requested_at=utcnow(),
                                requested_by_id=actor.user_id if actor is not None else None)
        system.add(approval)
        system.flush()
        approval_id = approval.id
    session.expire(order, ["approvals"])
    return session.get(SaleApproval, approval_id)


def covers_kinds(approval: SaleApproval, needing: list[Concern]) -> bool:
    return {concern.kind for concern in needing} <= set(approval.kinds.split(","))


def approve(session: Session, approval: SaleApproval) -> SaleApproval:
    """A sales manager lets the quotation be confirmed as it is."""
    _decide(session, approval)
    approval.state = APPROVED
    session.flush()
    return approval


def refuse(session: Session, approval: SaleApproval, *, reason: str | None) -> SaleApproval:
    """A sales manager refuses, saying why (the salesperson reads the reason on the quotation)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(gettext("Say why the approval is refused."), "refusal_reason")
    _decide(session, approval)
    approval.state = REFUSED
    approval.refusal_reason = reason
    session.flush()
    return approval


def _decide(session: Session, approval: SaleApproval) -> None:
    """Only a sales manager decides, once, on a request still about the quotation as it is."""
    actor = session.info.get("actor")
    if actor is not None and not actor.in_group(MANAGER):
        raise AccessDenied(gettext("Only a sales manager can approve or refuse a quotation."))
    if approval.state != PENDING:
        raise ValidationError(gettext("This request was already decided."), "state")
    if approval.order.state not in EDITABLE or not is_current(approval, approval.order):
        raise ValidationError(gettext("%(order)s changed since the approval was asked for: the salesperson must "
                                      "ask again.", order=approval.order.display_name), "state")
    approval.decided_by_id = actor.user_id if actor is not None else None
    approval.decided_at = utcnow()
