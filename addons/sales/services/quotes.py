"""Quotations and sales orders: lines, prices, states, numbering, revisions.

States: ``draft`` -> ``sent`` (numbered; given to the customer) ->
``confirmed`` (a sales order); before that it may be ``cancelled``, or
``expired`` once its validity date has passed (:func:`expire_quotes`). A
quotation is numbered when it first leaves ``draft``, from the company's
gapless series ``sales.order`` per year (a draft may be deleted, a numbered
quotation is only ever cancelled or revised).

Revising a numbered quotation (:func:`revise_quote`) copies it into a new
draft with the same number and the next revision; the old one becomes
``revised``, read-only, and the new one links to it.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import partial

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from addons.accounting.models.taxes import SALE as TAX_SALE
from addons.accounting.services.currency import company_currency
from addons.accounting.services.product_defaults import default_taxes
from addons.contacts.models import Partner
from addons.products.models import Product, Uom
from addons.products.units import check_quantity, convert
from core.db import utcnow
from core.errors import ValidationError, each_line
from core.fields import clean
from core.sequences import next_number

from ..models import (
    CANCELLED,
    CONFIRMED,
    DECLINED,
    DRAFT,
    EDITABLE,
    EXPIRED,
    NOTE,
    ORDER_STATES,
    PRODUCT,
    REVISED,
    SECTION,
    SENT,
    PriceList,
    SaleOrder,
    SaleOrderLine,
    SalesTeam,
    team_members,
)
from .amounts import compute, set_cost
from . import line_extensions
from .approvals import check_confirmation
from .pricing import check_pricelist, price_for, pricelist_of
from .variants import explanation, resolve_line

HEADER_FIELDS = ("partner_id", "pricelist_id", "currency_code", "date_order", "validity_date", "payment_terms",
                 "user_id", "team_id", "notes")
LINE_FIELDS = ("kind", "product_id", "description", "quantity", "uom_id", "unit_price", "discount", "tax_ids",
               "optional", "sequence")
#: the states a quotation can be revised from
REVISABLE = (SENT, EXPIRED, DECLINED)
#: how long a quotation is valid when no validity date is given
VALIDITY = dt.timedelta(days=30)


def announce_changed(session: Session, orders: list[SaleOrder], deleting: list[SaleOrder] = ()) -> None:
    """Tell the installed addons (``sales_orders_changed``) what was written, or is about to be deleted."""
    registry = session.info.get("registry")
    if registry is not None:  # a plain session (demo data) has no addons to tell
        registry.hook.sales_orders_changed(session=session, orders=list(orders), deleting=list(deleting))


def _state_label(state: str) -> str:
    return str(dict(ORDER_STATES)[state])


def require_state(order: SaleOrder, states: Iterable[str], message: str) -> None:
    if order.state not in states:
        raise ValidationError(message % {"order": order.display_name, "state": _state_label(order.state)}, "state")


def create_quote(session: Session, company_id: int, *, partner_id: int, date_order: dt.date | None = None,
                 lines: Iterable[Mapping] = (), **values) -> SaleOrder:
    """A quotation to a customer, its lines priced from the customer's (or the given) price list."""
    with session.begin_nested():
        pending: line_extensions.Pending = []
        order = new_quote(session, company_id, partner_id=partner_id, date_order=date_order, lines=lines,
                          pending=pending, **values)
        session.add(order)
        session.flush()
        line_extensions.write(session, pending)
        announce_changed(session, [order])
    return order


def new_quote(session: Session, company_id: int, *, partner_id: int, date_order: dt.date | None = None,
              lines: Iterable[Mapping] = (), pending: line_extensions.Pending | None = None,
              **values) -> SaleOrder:
    """The checked, priced and computed quotation :func:`create_quote` stores, not added to the session (its
    lines' extension values go to ``pending``, to write once they have their ids)."""
    _known(values, HEADER_FIELDS)
    date_order = date_order or dt.date.today()
    header = clean(SaleOrder, {"partner_id": partner_id, "date_order": date_order, **values}, session=session)
    partner = _partner(session, company_id, header["partner_id"])
    order = SaleOrder(company_id=company_id, state=DRAFT, revision=0, **header)
    order.partner = partner
    actor = session.info.get("actor")
    if order.user_id is None:
        order.user_id = actor.user_id if actor else partner.salesperson_id
    if order.team_id is None and order.user_id is not None:
        order.team_id = _team_of(session, company_id, order.user_id)
    if order.validity_date is None:
        order.validity_date = order.date_order + VALIDITY
    _set_pricelist(session, order, given=order.pricelist_id is not None,
                   currency_given=header.get("currency_code") is not None)
    order.lines = each_line(lines, partial(_make_line, session, order, [] if pending is None else pending))
    compute(session, order)
    return order


def update_quote(session: Session, order: SaleOrder, *, lines: Iterable[Mapping] | None = None,
                 **values) -> SaleOrder:
    """Change a quotation's header and, when ``lines`` is given, replace its lines (prices found again)."""
    require_state(order, EDITABLE, gettext(
        "Only a quotation can be changed; the state of %(order)s is “%(state)s”."))
    _known(values, HEADER_FIELDS)
    header = clean(SaleOrder, values, record=order, session=session)
    with session.begin_nested():
        if "partner_id" in header:
            order.partner = _partner(session, order.company_id, header["partner_id"])
        for key, value in header.items():
            setattr(order, key, value)
        if {"pricelist_id", "partner_id", "currency_code", "date_order"} & set(header):
            _set_pricelist(session, order, given=order.pricelist_id is not None, currency_given=True)
        pending: line_extensions.Pending = []
        if lines is not None:
            order.lines = each_line(lines, partial(_make_line, session, order, pending))
        compute(session, order)
        session.flush()
        line_extensions.write(session, pending)
        announce_changed(session, [order])
    return order


def _known(values: Mapping, names: tuple[str, ...]) -> None:
    unknown = sorted(set(values) - set(names))
    if unknown:
        message = (gettext("Unknown line fields: %(names)s", names=", ".join(unknown)) if names is LINE_FIELDS
                   else gettext("Unknown quotation fields: %(names)s", names=", ".join(unknown)))
        raise ValidationError(message, unknown[0])


def _partner(session: Session, company_id: int, partner_id: int) -> Partner:
    partner = session.get(Partner, partner_id)
    if partner.company_id != company_id:
        raise ValidationError(gettext("Choose a customer of this company."), "partner_id")
    return partner


def _team_of(session: Session, company_id: int, user_id: int) -> int | None:
    return session.scalar(select(SalesTeam.id).join(team_members, team_members.c.team_id == SalesTeam.id).where(
        team_members.c.user_id == user_id, SalesTeam.company_id == company_id, SalesTeam.active.is_(True))
        .order_by(SalesTeam.id).limit(1))


def _set_pricelist(session: Session, order: SaleOrder, *, given: bool, currency_given: bool) -> None:
    """The order's price list (the given one, else the customer's) and currency, checked against each other."""
    if given:
        order.pricelist = session.get(PriceList, order.pricelist_id) if order.pricelist_id else None
    else:
        order.pricelist = pricelist_of(session, order.partner, order.date_order)
    order.pricelist_id = order.pricelist.id if order.pricelist is not None else None
    if not currency_given:
        order.currency_code = (order.pricelist.currency_code if order.pricelist is not None
                               else company_currency(session, order.company_id))
    if order.pricelist is not None:
        if order.pricelist.company_id != order.company_id:
            raise ValidationError(gettext("Choose a price list of this company."), "pricelist_id")
        check_pricelist(order.pricelist, currency_code=order.currency_code, date=order.date_order)




def _make_line(session: Session, order: SaleOrder, pending: line_extensions.Pending, values: dict,
               index: int) -> SaleOrderLine:
    """A line from ``values``; the values of other addons' line fields go to ``pending``, written once it has
    its id."""
    values, extended = line_extensions.split(session, values)
    line = _priced_line(session, order, values, index)
    if extended:
        pending.append((line, extended))
    return line


def _priced_line(session: Session, order: SaleOrder, values: dict, index: int) -> SaleOrderLine:
    values = resolve_line(session, order, values)
    _known(values, LINE_FIELDS)
    values = {"sequence": index * 10, "kind": PRODUCT, "quantity": Decimal(1), "discount": Decimal(0),
              "optional": False, **values}
    tax_ids = values.pop("tax_ids", None)  # None: the product's default sales taxes; [] or ids: as given
    cleaned = clean(SaleOrderLine, values, session=session, creating=False)
    line = SaleOrderLine(company_id=order.company_id, **cleaned)
    if line.kind in (SECTION, NOTE):
        if not line.description:
            raise ValidationError(gettext("A section or a note needs its text."), "description")
        line.product_id, line.unit_price, line.discount, line.optional = None, Decimal(0), Decimal(0), False
        return line
    line.taxes = _taxes(session, order, tax_ids or ())
    if line.product_id is None:
        return _free_text_line(line, given_price="unit_price" in cleaned)
    product = session.get(Product, line.product_id)
    if product.company_id != order.company_id:
        raise ValidationError(gettext("Choose a product of this company."), "product_id")
    line.product = product
    if tax_ids is None:
        line.taxes = default_taxes(session, product, TAX_SALE)
    line.uom = session.get(Uom, line.uom_id) if line.uom_id else product.uom
    line.uom_id = line.uom.id
    line.quantity = check_quantity(line.quantity, line.uom)
    size = convert(Decimal(1), line.uom, product.uom, "uom_id")  # product units in one unit of the line
    line.description = line.description or product.display_name
    _price(session, order, line, size, given="unit_price" in cleaned)
    set_cost(session, order, line)
    return line


def _price(session: Session, order: SaleOrder, line: SaleOrderLine, size: Decimal, *, given: bool) -> None:
    """The line's price from the price list, with its explanation; a price given that is the list's keeps the
    list's explanation (a form sends back the prices it shows), another one is "entered by hand"."""
    try:
        price = price_for(session, order.partner, line.product, line.quantity * size, order.date_order,
                          order.currency_code, pricelist=order.pricelist)
    except ValidationError:
        if not given:
            raise
        price = None
    listed = (price.amount * size).quantize(Decimal("0.000001")) if price is not None else None
    if given and line.unit_price != listed:
        line.price_explanation = gettext("entered by hand")
        return
    line.unit_price = listed
    line.price_explanation = explanation(price, line.product, session)[:255]


def _free_text_line(line: SaleOrderLine, *, given_price: bool) -> SaleOrderLine:
    if not line.description:
        raise ValidationError(gettext("A line needs a product or a description."), "product_id")
    if not given_price:
        raise ValidationError(gettext("A line without a product needs its unit price."), "unit_price")
    line.uom_id = None
    line.price_explanation = gettext("entered by hand")
    line.cost, line.cost_source = Decimal(0), None
    return line


def _taxes(session: Session, order: SaleOrder, tax_ids) -> list:
    if not tax_ids:
        return []
    taxes = clean(SaleOrderLine, {"taxes": list(tax_ids)}, session=session, creating=False)["taxes"]
    if any(tax.company_id != order.company_id for tax in taxes):
        raise ValidationError(gettext("Choose taxes of this company."), "tax_ids")
    return sorted(taxes, key=lambda tax: (tax.sequence, tax.id))


def _number(session: Session, order: SaleOrder) -> None:
    if order.number is None:
        year = order.date_order.year
        order.number = f"SO/{year}/{next_number(session, order.company_id, 'sales.order', str(year)):05d}"


def _require_lines(order: SaleOrder) -> None:
    if not any(line.is_priced and not line.optional for line in order.lines):
        raise ValidationError(gettext("%(order)s has no product lines: add what you are selling first.",
                                      order=order.display_name), "lines")


def _require_valid(order: SaleOrder, today: dt.date) -> None:
    if order.validity_date is not None and order.validity_date < today:
        raise ValidationError(gettext("%(order)s expired on %(date)s: revise it to give the customer a new "
                                      "quotation.", order=order.display_name,
                                      date=order.validity_date.isoformat()), "validity_date")


def mark_sent(session: Session, order: SaleOrder, *, today: dt.date | None = None) -> SaleOrder:
    """The quotation handed to the customer: numbered, ``sent``. Sending it again keeps it so."""
    require_state(order, EDITABLE, gettext(
        "Only a quotation can be marked as sent; the state of %(order)s is “%(state)s”."))
    _require_lines(order)
    _require_valid(order, today or dt.date.today())
    with session.begin_nested():
        _number(session, order)
        order.state = SENT
        session.flush()
        announce_changed(session, [order])
    return order


def confirm_quote(session: Session, order: SaleOrder, *, today: dt.date | None = None) -> SaleOrder:
    """The customer accepted: the quotation becomes a sales order (numbered if it was not)."""
    require_state(order, EDITABLE, gettext(
        "Only a quotation can be confirmed; the state of %(order)s is “%(state)s”."))
    _require_lines(order)
    _require_valid(order, today or dt.date.today())
    with session.begin_nested():
        compute(session, order)
        check_confirmation(session, order, today=today)
        _number(session, order)
        order.state = CONFIRMED
        order.confirmed_at = utcnow()
        session.flush()
        announce_changed(session, [order])
        registry = session.info.get("registry")
        if registry is not None:
            registry.hook.sales_order_confirmed(session=session, order=order)
    return order


def cancel_quote(session: Session, order: SaleOrder) -> SaleOrder:
    """Cancel a quotation (sent, expired or not) or a sales order."""
    require_state(order, (DRAFT, SENT, EXPIRED, CONFIRMED), gettext(
        "%(order)s cannot be cancelled: its state is “%(state)s”."))
    order.state = CANCELLED
    session.flush()
    announce_changed(session, [order])
    return order


def delete_quote(session: Session, order: SaleOrder) -> None:
    """Delete a draft quotation; one with a number is cancelled instead (the numbering has no gaps)."""
    if order.number is not None:
        raise ValidationError(gettext("%(order)s has a number: cancel it instead of deleting it.",
                                      order=order.display_name), "state")
    announce_changed(session, [], deleting=[order])
    session.delete(order)
    session.flush()


def expire_quotes(session: Session, *, today: dt.date) -> list[SaleOrder]:
    """Mark the quotations (draft or sent) whose validity date is before ``today`` as expired."""
    found = session.scalars(select(SaleOrder).where(SaleOrder.state.in_(EDITABLE),
                                                    SaleOrder.validity_date < today)).all()
    for order in found:
        order.state = EXPIRED
    session.flush()
    announce_changed(session, list(found))
    return list(found)


def revise_quote(session: Session, order: SaleOrder, *, today: dt.date | None = None) -> SaleOrder:
    """A new revision of a numbered quotation (sent, expired or declined by the customer), as a draft dated
    ``today``; the old one is kept, read-only (``revised``), and linked from the new one."""
    require_state(order, REVISABLE, gettext(
        "Only a sent, expired or declined quotation can be revised; the state of %(order)s is “%(state)s”."))
    today = today or dt.date.today()
    validity = (order.validity_date - order.date_order) if order.validity_date else VALIDITY
    with session.begin_nested():
        revision = SaleOrder(
            company_id=order.company_id, number=order.number, revision=order.revision + 1, state=DRAFT,
            partner_id=order.partner_id, pricelist_id=order.pricelist_id, currency_code=order.currency_code,
            date_order=today, validity_date=today + validity, payment_terms=order.payment_terms,
            user_id=order.user_id, team_id=order.team_id, notes=order.notes, previous_id=order.id)
        revision.partner, revision.pricelist, revision.previous = order.partner, order.pricelist, order
        revision.lines = [_copy_line(line) for line in order.lines]
        pending = [(copy, line_extensions.copied(session, line)) for copy, line in zip(revision.lines, order.lines)]
        session.add(revision)
        order.state = REVISED
        compute(session, revision)
        session.flush()
        line_extensions.write(session, [(copy, found) for copy, found in pending if found])
        announce_changed(session, [order, revision])
    return revision


def _copy_line(line: SaleOrderLine) -> SaleOrderLine:
    copied = SaleOrderLine(company_id=line.company_id, **{name: getattr(line, name) for name in (
        "sequence", "kind", "product_id", "description", "quantity", "uom_id", "unit_price", "price_explanation",
        "discount", "optional", "cost", "cost_source")})
    copied.product, copied.uom, copied.taxes = line.product, line.uom, list(line.taxes)
    return copied


def revisions(session: Session, order: SaleOrder) -> list[SaleOrder]:
    """Every revision of the order's number the user may read, oldest first."""
    if order.number is None:
        return [order]
    return list(session.scalars(select(SaleOrder).where(
        SaleOrder.company_id == order.company_id, SaleOrder.number == order.number).order_by(SaleOrder.revision)))

