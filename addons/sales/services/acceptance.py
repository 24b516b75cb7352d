"""The customer's answer to a sent quotation, given on its public page: accept it (a sales order) or decline it.

The page's address carries a token signed with the installation's secret key
(itsdangerous), naming one quotation and its revision. A token is good for
:data:`LINK_MAX_AGE` at most, and only while its quotation is ``sent`` and
within its validity date: once the customer answered, the quotation was
revised, cancelled or expired, the link shows what became of it and changes
nothing (:func:`open_link`).

Accepting records the name the customer typed, the server's moment and their
optional purchase order number, and confirms the quotation through
:func:`.quotes.confirm_quote`, so every rule that may refuse a confirmation
refuses an acceptance too (nothing is then kept). Declining needs a reason.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.db import utcnow
from core.errors import ValidationError
from core.fields import clean

from ..models import CANCELLED, CONFIRMED, DECLINED, DRAFT, EXPIRED, REVISED, SENT, SaleOrder
from .quotes import announce_changed, confirm_quote, require_state

#: the itsdangerous salt: a token of this kind is no token of any other
SALT = "sales.quote-link"
#: the longest a link lives, whatever the quotation's validity
LINK_MAX_AGE = dt.timedelta(days=90)
#: what a link leads to (:attr:`Link.status`)
OPEN, INVALID, LINK_EXPIRED, ACCEPTED, ANSWERED_NO, REPLACED, WITHDRAWN = (
    "open", "invalid", "expired", "accepted", "declined", "replaced", "withdrawn")


@dataclass(frozen=True)
class Link:
    """What a token leads to: its quotation (None when the token is not one of ours) and its status; for a
    revised quotation, the revision that replaced it."""

    status: str
    order: SaleOrder | None = None
    replaced_by: int | None = None

    @property
    def is_open(self) -> bool:
        return self.status == OPEN


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def make_token(secret_key: str, order: SaleOrder) -> str:
    """The token of the quotation's public page, bound to its id and revision."""
    return _serializer(secret_key).dumps([order.id, order.revision])


def open_link(session: Session, secret_key: str, token: str, *, today: dt.date | None = None,
              lock: bool = False) -> Link:
    """Where ``token`` leads, read with ``session`` (a system session: the customer has no login).

    ``lock`` takes the quotation's row for update, so two answers to one link
    are taken one after the other.
    """
    serializer = _serializer(secret_key)
    try:
        payload = serializer.loads(token, max_age=int(LINK_MAX_AGE.total_seconds()))
        expired = False
    except SignatureExpired as too_old:  # the signature is ours: the quotation it names is known
        payload, expired = serializer.load_payload(too_old.payload), True
    except BadSignature:
        return Link(INVALID)
    if not (isinstance(payload, list) and len(payload) == 2 and all(type(part) is int for part in payload)):
        return Link(INVALID)
    order = session.get(SaleOrder, payload[0], with_for_update=lock, populate_existing=lock)
    if order is None or order.revision != payload[1]:
        return Link(INVALID)
    return Link(_status(order, expired, today or dt.date.today()), order, _newest_revision(session, order))


def _status(order: SaleOrder, too_old: bool, today: dt.date) -> str:
    if order.state == CONFIRMED:
        return ACCEPTED
    if order.state == DECLINED:
        return ANSWERED_NO
    if order.state == REVISED:
        return REPLACED
    if order.state in (CANCELLED, DRAFT):
        return WITHDRAWN
    if too_old or order.state == EXPIRED or (order.validity_date is not None and order.validity_date < today):
        return LINK_EXPIRED
    return OPEN


def _newest_revision(session: Session, order: SaleOrder) -> int | None:
    if order.state != REVISED:
        return None
    return session.scalar(select(func.max(SaleOrder.revision)).where(
        SaleOrder.company_id == order.company_id, SaleOrder.number == order.number))


def accept_quote(session: Session, order: SaleOrder, *, name: str | None, customer_reference: str | None = None,
                 today: dt.date | None = None) -> SaleOrder:
    """The customer accepts the sent quotation as ``name`` (required), with their purchase order number if any:
    it becomes a sales order. A rule refusing the confirmation refuses the acceptance; nothing is kept then."""
    require_state(order, (SENT,), gettext(
        "Only a sent quotation can be accepted; the state of %(order)s is “%(state)s”."))
    values = clean(SaleOrder, {"accepted_by": name, "customer_reference": customer_reference}, creating=False)
    if not values["accepted_by"]:
        raise ValidationError(gettext("Type your full name to accept the quotation."), "accepted_by")
    with session.begin_nested():
        order.accepted_by, order.customer_reference = values["accepted_by"], values["customer_reference"]
        order.accepted_at = utcnow()
        confirm_quote(session, order, today=today)
    return order


def decline_quote(session: Session, order: SaleOrder, *, reason: str | None) -> SaleOrder:
    """The customer declines the sent quotation, saying why (required): it ends ``declined``."""
    require_state(order, (SENT,), gettext(
        "Only a sent quotation can be declined; the state of %(order)s is “%(state)s”."))
    reason = clean(SaleOrder, {"decline_reason": reason}, creating=False)["decline_reason"]
    if not reason:
        raise ValidationError(gettext("Tell us why you decline the quotation."), "decline_reason")
    with session.begin_nested():
        order.decline_reason, order.declined_at, order.state = reason, utcnow(), DECLINED
        session.flush()
        announce_changed(session, [order])
    return order
