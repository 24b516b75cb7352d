"""Requests for quotation and purchase orders: lines, prices, states, approval, numbering.

States: ``draft`` (a request for quotation) -> ``sent`` (mailed to the
supplier, :mod:`.sending`) -> ``to_approve`` (confirmed by a purchase user,
above the company's approval amount) -> ``purchase`` (confirmed) -> ``done``;
any state before ``done`` may be ``cancelled`` while nothing is received.

Approval: confirming an order whose total (in the company's currency) is
above the company's approval amount needs a purchase manager. A manager
confirming approves at once; a purchase user's confirmation waits in
``to_approve`` until a manager approves it. The manager who approves cannot
be the order's buyer unless they confirm it themselves (a user cannot approve
their own order). The order is numbered when it first leaves ``draft``
(sent or confirmed), from the company's gapless series ``purchase.order`` per
year: a draft may be deleted, a numbered order is only ever cancelled.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from addons.contacts.models import Partner
from addons.products.models import Product, Uom
from addons.products.units import check_quantity
from core.db import utcnow
from core.errors import AccessDenied, ValidationError, each_line
from core.fields import clean
from core.sequences import next_number
from core.sessions import system_rows

from ..models import (
    CANCELLED,
    DONE,
    DRAFT,
    EDITABLE,
    ORDER_STATES,
    PURCHASE,
    SENT,
    TO_APPROVE,
    OrderLine,
    PurchaseOrder,
)
from ..security import MANAGER
from . import currency, units
from .prices import forget_sides, price_for, product_side
from .settings import company_settings

HEADER_FIELDS = ("partner_id", "date_order", "currency_code", "supplier_reference", "notes")
LINE_FIELDS = ("product_id", "description", "quantity", "uom_id", "unit_price", "expected_date", "sequence")
CENT = Decimal("0.01")


def _state_label(state: str) -> str:
    return str(dict(ORDER_STATES)[state])


def _require_state(order: PurchaseOrder, states: Iterable[str], message) -> None:
    """Refuse with ``message`` (a lazy string given ``order`` and ``state``) unless the order is in ``states``."""
    if order.state not in states:
        raise ValidationError(str(message), "state")


def new_order(session: Session, company_id: int, *, partner_id: int, date_order: dt.date | None = None,
              currency_code: str | None = None, lines: Iterable[Mapping] = (), **values) -> PurchaseOrder:
    """The checked, priced and computed request :func:`create_order` stores, not added to the session (the
    form's live totals show it as saving would store it)."""
    header = clean(PurchaseOrder, {"partner_id": partner_id, "date_order": date_order or dt.date.today(),
                                   "currency_code": currency_code or currency.company_currency(session, company_id),
                                   **_header_values(values)}, session=session)
    partner = _partner(session, company_id, header["partner_id"])
    actor = session.info.get("actor")
    order = PurchaseOrder(company_id=company_id, state=DRAFT, user_id=actor.user_id if actor else None, **header)
    order.partner = partner
    order.lines = each_line(lines, partial(_make_line, session, order))
    _compute(order)
    return order


def create_order(session: Session, company_id: int, *, partner_id: int, date_order: dt.date | None = None,
                 currency_code: str | None = None, lines: Iterable[Mapping] = (), **values) -> PurchaseOrder:
    """A request for quotation to a supplier, with its lines priced from the supplier's prices."""
    with session.begin_nested():
        order = new_order(session, company_id, partner_id=partner_id, date_order=date_order,
                          currency_code=currency_code, lines=lines, **values)
        session.add(order)
        session.flush()
    return order


def update_order(session: Session, order: PurchaseOrder, *, lines: Iterable[Mapping] | None = None,
                 **values) -> PurchaseOrder:
    """Change a request's header and, when ``lines`` is given, replace its lines (prices found again)."""
    _require_state(order, EDITABLE, _l(
        "Only a request for quotation can be changed; the state of %(order)s is “%(state)s”.",
        order=order.display_name, state=_state_label(order.state)))
    header = clean(PurchaseOrder, _header_values(values), record=order, session=session)
    if "partner_id" in header:
        order.partner = _partner(session, order.company_id, header["partner_id"])
    with session.begin_nested():
        for key, value in header.items():
            setattr(order, key, value)
        if lines is not None:
            order.lines = each_line(lines, partial(_make_line, session, order))
        _compute(order)
        session.flush()
    return order


def add_lines(session: Session, order: PurchaseOrder, lines: Iterable[Mapping]) -> list[OrderLine]:
    """Add ``lines`` to a draft request for quotation, after the lines it has (which stay as they are), priced
    from the supplier's prices as new lines are; returns the lines added."""
    _require_state(order, (DRAFT,), _l(
        "Only a draft request for quotation takes new lines; the state of %(order)s is “%(state)s”.",
        order=order.display_name, state=_state_label(order.state)))
    last = max((line.sequence for line in order.lines), default=0)
    with session.begin_nested():
        added = each_line(lines, lambda values, index: _make_line(
            session, order, {"sequence": last + index * 10, **values}, index))
        order.lines.extend(added)
        _compute(order)
        session.flush()
    return added


def remove_lines(session: Session, order: PurchaseOrder, *, line_ids: Iterable[int]) -> PurchaseOrder:
    """Take lines off a draft request for quotation; a request left without lines is cancelled."""
    _require_state(order, (DRAFT,), _l(
        "Only a draft request for quotation can lose lines; the state of %(order)s is “%(state)s”.",
        order=order.display_name, state=_state_label(order.state)))
    gone = set(line_ids)
    with session.begin_nested():
        order.lines = [line for line in order.lines if line.id not in gone]
        _compute(order)
        session.flush()
        if not order.lines:
            cancel_order(session, order)
    return order


def _header_values(values: Mapping) -> dict:
    unknown = sorted(set(values) - set(HEADER_FIELDS))
    if unknown:
        raise ValidationError(gettext("Unknown order fields: %(names)s", names=", ".join(unknown)), unknown[0])
    return dict(values)


def _partner(session: Session, company_id: int, partner_id: int) -> Partner:
    partner = session.get(Partner, partner_id)
    if partner.company_id != company_id:
        raise ValidationError(gettext("Choose a supplier of this company."), "partner_id")
    return partner




def _make_line(session: Session, order: PurchaseOrder, values: dict, index: int) -> OrderLine:
    unknown = sorted(set(values) - set(LINE_FIELDS))
    if unknown:
        raise ValidationError(gettext("Unknown line fields: %(names)s", names=", ".join(unknown)), unknown[0])
    values.setdefault("sequence", index * 10)
    values.setdefault("quantity", Decimal(1))
    values = clean(OrderLine, values, session=session, creating=False)
    if values.get("product_id") is None:
        raise ValidationError(gettext("A line needs a product."), "product_id")
    product = session.get(Product, values["product_id"])
    if product.company_id != order.company_id:
        raise ValidationError(gettext("Choose a product of this company."), "product_id")
    line = OrderLine(company_id=order.company_id, received_quantity=Decimal(0), **values)
    line.product = product
    line.uom = session.get(Uom, values["uom_id"]) if values.get("uom_id") else units.purchase_unit(session, product)
    line.uom_id = line.uom.id
    check_quantity(line.quantity, line.uom)
    size = units.in_purchase_units(session, product, quantity=Decimal(1), unit=line.uom)  # purchase units per unit
    if not line.description:
        line.description = product.display_name
    choice = price_for(session, product, quantity=line.quantity * size, date=order.date_order,
                       supplier_id=order.partner_id)
    if choice is not None:
        line.supplier_price_id = choice.row.id
        if "unit_price" not in values:
            line.unit_price = currency.convert(session, order.company_id, amount=choice.price * size,
                                               source=choice.currency_code, target=order.currency_code,
                                               date=order.date_order, field="unit_price")
        if "expected_date" not in values:
            line.expected_date = order.date_order + dt.timedelta(days=choice.row.lead_time)
    elif "unit_price" not in values:
        raise ValidationError(gettext(
            "%(supplier)s has no price for %(product)s for %(quantity)s %(unit)s on %(date)s: enter the unit price.",
            supplier=order.partner.name, product=product.display_name, quantity=f"{line.quantity.normalize():f}",
            unit=line.uom.display_name, date=order.date_order.isoformat()), "unit_price")
    if line.expected_date is None:
        line.expected_date = order.date_order
    return line


def _compute(order: PurchaseOrder) -> None:
    for line in order.lines:
        line.subtotal = (line.quantity * line.unit_price).quantize(CENT, rounding=ROUND_HALF_UP)
    order.amount_total = sum((line.subtotal for line in order.lines), Decimal(0))


def _number(session: Session, order: PurchaseOrder) -> None:
    if order.number is None:
        year = order.date_order.year
        order.number = f"PO/{year}/{next_number(session, order.company_id, 'purchase.order', str(year)):05d}"


def mark_sent(session: Session, order: PurchaseOrder) -> PurchaseOrder:
    """A request mailed (or handed) to the supplier: numbered, ``sent``. Sending it again keeps it so."""
    _require_state(order, EDITABLE, _l(
        "Only a request for quotation can be marked as sent; the state of %(order)s is “%(state)s”.",
        order=order.display_name, state=_state_label(order.state)))
    _require_lines(order)
    _number(session, order)
    order.state = SENT
    session.flush()
    return order


def _require_lines(order: PurchaseOrder) -> None:
    if not order.lines:
        raise ValidationError(gettext("%(order)s has no lines: add what you are buying first.",
                                      order=order.display_name), "lines")


def _is_manager(session: Session) -> bool:
    actor = session.info.get("actor")
    return actor is None or actor.in_group(MANAGER)


def needs_approval(session: Session, order: PurchaseOrder) -> bool:
    """Whether the order's total, in the company's currency, is above the company's approval amount."""
    limit = company_settings(session, order.company_id).approval_amount
    if limit is None:
        return False
    total = currency.convert(session, order.company_id, amount=order.amount_total, source=order.currency_code,
                             target=currency.company_currency(session, order.company_id), date=order.date_order,
                             field="currency_code", places=2)
    return total > limit


def confirm_order(session: Session, order: PurchaseOrder) -> PurchaseOrder:
    """Confirm a request: a purchase order now, or waiting for a manager's approval above the amount."""
    _require_state(order, EDITABLE, _l(
        "Only a request for quotation can be confirmed; the state of %(order)s is “%(state)s”.",
        order=order.display_name, state=_state_label(order.state)))
    _require_lines(order)
    with session.begin_nested():
        _compute(order)
        _number(session, order)
        if needs_approval(session, order) and not _is_manager(session):
            order.state = TO_APPROVE
            session.flush()
            return order
        _confirm(session, order)
    return order


def approve_order(session: Session, order: PurchaseOrder) -> PurchaseOrder:
    """A purchase manager approves an order waiting for approval; it is confirmed."""
    actor = session.info.get("actor")
    if not _is_manager(session):
        raise AccessDenied(gettext("Only a purchase manager can approve orders; %(login)s cannot.",
                                   login=actor.login))
    _require_state(order, (TO_APPROVE,), _l(
        "Only an order waiting for approval can be approved; the state of %(order)s is “%(state)s”.",
        order=order.display_name, state=_state_label(order.state)))
    if actor is not None and order.user_id == actor.user_id:
        raise AccessDenied(gettext("%(order)s is your own order: another purchase manager must approve it.",
                                   order=order.display_name))
    with session.begin_nested():
        _confirm(session, order)
    return order


def _confirm(session: Session, order: PurchaseOrder) -> None:
    actor = session.info.get("actor")
    order.state = PURCHASE
    order.confirmed_at = utcnow()
    if needs_approval(session, order):
        order.approved_by_id = actor.user_id if actor else None
    session.flush()
    _remember_prices(session, order)
    registry = session.info.get("registry")
    if registry is not None:  # a plain session (demo data) has no addons to tell
        registry.hook.purchase_order_confirmed(session=session, order=order)


def _remember_prices(session: Session, order: PurchaseOrder) -> None:
    """Each product's last purchase price (per purchase unit) and date, from this order's lines (the last line of
    a product wins)."""
    sizes = [units.in_purchase_units(session, line.product, quantity=Decimal(1), unit=line.uom)
             for line in order.lines]
    with system_rows(session) as system:
        for line, size in zip(order.lines, sizes):
            side = product_side(system, product_id=line.product_id)
            side.last_purchase_price = (line.unit_price / size).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
            side.last_purchase_currency = order.currency_code
            side.last_purchase_date = order.date_order
    forget_sides(session, product_ids={line.product_id for line in order.lines})


def cancel_order(session: Session, order: PurchaseOrder) -> PurchaseOrder:
    """Cancel an order that is not done and of which nothing was received."""
    _require_state(order, (DRAFT, SENT, TO_APPROVE, PURCHASE), _l(
        "A done or cancelled order cannot be cancelled; the state of %(order)s is “%(state)s”.",
        order=order.display_name, state=_state_label(order.state)))
    if any(line.received_quantity > 0 for line in order.lines):
        raise ValidationError(gettext("Part of %(order)s has been received: it cannot be cancelled.",
                                      order=order.display_name), "state")
    order.state = CANCELLED
    session.flush()
    session.info["registry"].hook.purchase_order_cancelled(session=session, order=order)
    return order


def mark_done(session: Session, order: PurchaseOrder) -> PurchaseOrder:
    """Lock a confirmed order: nothing more is expected from it."""
    _require_state(order, (PURCHASE,), _l(
        "Only a confirmed purchase order can be locked; the state of %(order)s is “%(state)s”.",
        order=order.display_name, state=_state_label(order.state)))
    order.state = DONE
    session.flush()
    return order


def delete_order(session: Session, order: PurchaseOrder) -> None:
    """Delete a request that was never numbered; a numbered one is cancelled instead (its number stays)."""
    if order.number is not None:
        raise ValidationError(gettext("%(order)s has a number: cancel it instead of deleting it.",
                                      order=order.display_name), "state")
    session.delete(order)
    session.flush()


def late_lines(session: Session, *, today: dt.date) -> list[OrderLine]:
    """Lines of confirmed orders expected before ``today`` and not all received, the oldest first."""
    return list(session.scalars(
        select(OrderLine).join(PurchaseOrder)
        .where(PurchaseOrder.state == PURCHASE, OrderLine.expected_date < today,
               OrderLine.received_quantity < OrderLine.quantity)
        .order_by(OrderLine.expected_date, OrderLine.id)))

