"""Invoicing sales orders through accounting's invoice service, and the orders' invoice and payment status.

What a line has to invoice follows its product's policy
(:class:`~addons.sales.models.SalesProduct`): its ordered quantity, or its
delivered one, less what is invoiced already. The invoiced quantity counts the
lines of draft and posted invoices linked to the order line
(:class:`~addons.sales.models.InvoiceLineLink`), less those of posted credit
notes (a credit note is linked when it is posted, :func:`link_credit_note`);
a deleted draft leaves no link, so it counts no more. ``qty_invoiced`` on the
order lines is kept from the links (:func:`sync_invoiced`); the statuses are
worked out from the links when they are shown (:func:`invoicing_of`), so a
payment registered in accounting shows on the order at once.

Down payments (:func:`invoice_down_payment`): a percentage, or a fixed amount,
of the order's untaxed amount, billed on lines without a product, on the
company's default income account (accounting's settings, the account a
company configures for it), one line per set of taxes of the order in
proportion to their untaxed amounts. The invoice that bills the rest of an
order (its final invoice) deducts what was invoiced in advance with negative
lines of the same taxes.

Invoices are read here with a system session (:func:`core.sessions.system_rows`):
a salesperson sees the invoice and payment status of their orders without
being granted accounting's invoices.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from flask_babel import gettext, ngettext
from sqlalchemy import and_, case, delete, func, select
from sqlalchemy.orm import Session

from addons.accounting.models import Invoice, InvoiceLine
from addons.accounting.models.invoicing import CANCELLED as INVOICE_CANCELLED
from addons.accounting.models.invoicing import DRAFT as INVOICE_DRAFT
from addons.accounting.models.invoicing import OUT_INVOICE, OUT_REFUND
from addons.accounting.models.invoicing import PAID as INVOICE_PAID
from addons.accounting.models.invoicing import PARTIAL as INVOICE_PARTIAL
from addons.accounting.models.invoicing import POSTED as INVOICE_POSTED
from addons.accounting.models.invoicing import invoice_line_taxes
from addons.accounting.services.currency import decimals, round_amount
from addons.accounting.services.invoices import create_invoice
from core.errors import ValidationError
from core.sessions import system_rows
from core.transaction_cache import cached

from ..models import (
    CONFIRMED,
    DELIVERED,
    INVOICED,
    NOT_PAID,
    NOTHING_TO_INVOICE,
    ORDERED,
    PRODUCT,
    PAID,
    PARTLY_INVOICED,
    PARTLY_PAID,
    TO_INVOICE,
    InvoiceLineLink,
    SaleOrder,
    SaleOrderLine,
    SalesProduct,
)
from .pricing import number as plain

ZERO = Decimal(0)
HUNDRED = Decimal(100)


@dataclass
class LinkedInvoice:
    """An invoice, down-payment invoice or credit note billing an order, as its page lists it."""

    id: int
    name: str
    kind: str
    state: str
    payment_state: str
    amount_total: Decimal
    residual: Decimal


@dataclass
class OrderInvoicing:
    """How far an order is invoiced and paid."""

    invoice_status: str = NOTHING_TO_INVOICE
    payment_status: str = NOT_PAID
    invoiced: dict[int, Decimal] = field(default_factory=dict)  # order line id -> quantity invoiced
    to_invoice: dict[int, Decimal] = field(default_factory=dict)  # order line id -> quantity to invoice now
    down_payments: dict[tuple[int, ...], Decimal] = field(default_factory=dict)  # tax ids -> untaxed not deducted
    invoices: list[LinkedInvoice] = field(default_factory=list)

    @property
    def down_payment(self) -> Decimal:
        """The untaxed amount invoiced in advance and not yet deducted."""
        return sum(self.down_payments.values(), ZERO)


# --- reading ------------------------------------------------------------------------------


def billable_lines(order: SaleOrder) -> list[SaleOrderLine]:
    """The lines an invoice bills: product and free-text lines that count in the totals."""
    return [line for line in order.lines if line.is_priced and not line.optional]


def policies(session: Session, lines: Iterable[SaleOrderLine]) -> dict[int, str]:
    """order line id -> its product's invoicing policy (ordered quantities without a product or a setting)."""
    lines = list(lines)
    known = cached(session, ("sales.invoice_policies",), dict, depends_on=(SalesProduct,))
    missing = {line.product_id for line in lines if line.product_id is not None} - set(known)
    if missing:  # read once per transaction: invoicing an order asks three times
        known.update(dict.fromkeys(missing, ORDERED))
        known.update(session.execute(select(SalesProduct.product_id, SalesProduct.invoice_policy).where(
            SalesProduct.product_id.in_(missing))).all())
    return {line.id: known.get(line.product_id, ORDERED) for line in lines}


def invoicing_of(session: Session, orders: Iterable[SaleOrder]) -> dict[int, OrderInvoicing]:
    """order id -> its invoiced quantities, what it has to invoice, its down payments, invoices and statuses
    (three queries for any number of orders)."""
    orders = list(orders)
    result = {order.id: OrderInvoicing() for order in orders}
    if not orders:
        return result
    sign = case((Invoice.kind == OUT_REFUND, -1), else_=1)
    with system_rows(session) as system:
        rows = system.execute(
            select(InvoiceLineLink.order_id, InvoiceLineLink.order_line_id, InvoiceLine.id,
                   InvoiceLine.quantity * sign, InvoiceLine.subtotal * sign, Invoice.id, Invoice.number,
                   Invoice.kind, Invoice.state, Invoice.payment_state, Invoice.amount_total, Invoice.residual)
            .join(InvoiceLine, InvoiceLine.id == InvoiceLineLink.invoice_line_id)
            .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
            .where(InvoiceLineLink.order_id.in_(result), Invoice.state != INVOICE_CANCELLED)
            .order_by(Invoice.date, Invoice.id)).all()
        advance_ids = [row[2] for row in rows if row[1] is None]
        taxes: dict[int, list[int]] = {}
        for line_id, tax_id in system.execute(select(invoice_line_taxes.c.line_id, invoice_line_taxes.c.tax_id)
                                              .where(invoice_line_taxes.c.line_id.in_(advance_ids))
                                              .order_by(invoice_line_taxes.c.tax_id)).all():
            taxes.setdefault(line_id, []).append(tax_id)
    for (order_id, order_line_id, invoice_line_id, quantity, subtotal, invoice_id, number, kind, state,
         payment_state, total, residual) in rows:
        found = result[order_id]
        if order_line_id is None:
            key = tuple(taxes.get(invoice_line_id, ()))
            found.down_payments[key] = found.down_payments.get(key, ZERO) + subtotal
        else:
            found.invoiced[order_line_id] = found.invoiced.get(order_line_id, ZERO) + quantity
        if all(invoice.id != invoice_id for invoice in found.invoices):
            found.invoices.append(LinkedInvoice(invoice_id, number or gettext("Draft invoice #%(id)s", id=invoice_id),
                                                kind, state, payment_state, total, residual))
    line_policies = policies(session, (line for order in orders for line in billable_lines(order)))
    for order in orders:
        _statuses(order, result[order.id], line_policies)
    return result


def to_invoice_clause():
    """The SQL condition of an order whose invoice status is "to invoice" (:func:`_statuses`): confirmed, with a
    billable line whose ordered, or delivered, quantity is more than it invoiced (``qty_invoiced``, kept from the
    links by :func:`sync_invoiced`). For the orders list's filter."""
    policy = select(SalesProduct.invoice_policy).where(
        SalesProduct.product_id == SaleOrderLine.product_id).scalar_subquery()
    basis = case((func.coalesce(policy, ORDERED) == DELIVERED, SaleOrderLine.qty_delivered),
                 else_=SaleOrderLine.quantity)
    return and_(SaleOrder.state == CONFIRMED, select(SaleOrderLine.id).where(
        SaleOrderLine.order_id == SaleOrder.id, SaleOrderLine.kind == PRODUCT, SaleOrderLine.optional.is_(False),
        basis > SaleOrderLine.qty_invoiced).exists())


def _statuses(order: SaleOrder, found: OrderInvoicing, line_policies: dict[int, str]) -> None:
    lines = billable_lines(order)
    for line in lines:
        done = found.invoiced.get(line.id, ZERO)
        basis = line.qty_delivered if line_policies[line.id] == DELIVERED else line.quantity
        if order.state == CONFIRMED and basis > done:
            found.to_invoice[line.id] = basis - done
    something = bool(found.invoices)
    everything = something and not found.down_payment and all(
        found.invoiced.get(line.id, ZERO) >= line.quantity for line in lines)
    found.invoice_status = (INVOICED if everything else TO_INVOICE if found.to_invoice
                            else PARTLY_INVOICED if something else NOTHING_TO_INVOICE)
    posted = [invoice for invoice in found.invoices if invoice.kind == OUT_INVOICE and invoice.state == INVOICE_POSTED]
    if posted and found.invoice_status == INVOICED and all(i.payment_state == INVOICE_PAID for i in posted):
        found.payment_status = PAID
    elif any(invoice.payment_state in (INVOICE_PAID, INVOICE_PARTIAL) for invoice in posted):
        found.payment_status = PARTLY_PAID
    else:
        found.payment_status = NOT_PAID


def sync_invoiced(session: Session, orders: Iterable[SaleOrder]) -> None:
    """Write each line's ``qty_invoiced`` from the links (as the system: an accountant posting a credit note
    changes the orders it bills without being granted them)."""
    orders = list(orders)
    session.flush()
    found = invoicing_of(session, orders)
    changed = {line.id: found[order.id].invoiced.get(line.id, ZERO) for order in orders for line in order.lines
               if line.qty_invoiced != found[order.id].invoiced.get(line.id, ZERO)}
    if not changed:
        return
    with system_rows(session) as system:
        for line in system.scalars(select(SaleOrderLine).where(SaleOrderLine.id.in_(changed))):
            line.qty_invoiced = changed[line.id]
    for order in orders:
        for line in order.lines:
            if line.id in changed:
                session.expire(line, ["qty_invoiced"])


# --- invoicing ----------------------------------------------------------------------------


def _require_confirmed(order: SaleOrder) -> None:
    if order.state != CONFIRMED:
        raise ValidationError(gettext("%(order)s is not a confirmed sales order: only an order is invoiced.",
                                      order=order.display_name), "state")


def parse_quantity(value, where: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(gettext("%(value)s is not a number.", value=value), where) from None
    if not number.is_finite():
        raise ValidationError(gettext("%(value)s is not a number.", value=value), where)
    return number


def invoice_orders(session: Session, orders: Iterable[SaleOrder], *, quantities: Mapping[int, object] | None = None,
                   date: dt.date | None = None) -> Invoice:
    """A draft customer invoice of what the orders (one customer, one currency) have to invoice.

    ``quantities`` (order line id -> quantity) invoices those lines only, by those quantities; without it every
    line's quantity to invoice. The invoice that leaves nothing of an order to invoice deducts its down payments.
    """
    orders = list(orders)
    if not orders:
        raise ValidationError(gettext("Choose the orders to invoice."), "orders")
    first = orders[0]
    for order in orders:
        _require_confirmed(order)
        if (order.company_id, order.partner_id, order.currency_code) != (
                first.company_id, first.partner_id, first.currency_code):
            raise ValidationError(gettext(
                "%(order)s is for another customer or in another currency than %(first)s: invoice them apart.",
                order=order.display_name, first=first.display_name), "orders")
    session.flush()
    state = invoicing_of(session, orders)
    line_policies = policies(session, (line for order in orders for line in billable_lines(order)))
    lines, targets = [], []
    for order in orders:
        found = state[order.id]
        billed: dict[int, Decimal] = {}
        for number, line in enumerate(billable_lines(order), start=1):
            quantity = _line_quantity(order, line, number, found, line_policies[line.id], quantities)
            if quantity:
                billed[line.id] = quantity
                lines.append({"product_id": line.product_id, "description": line.description, "quantity": quantity,
                              "unit_price": line.unit_price, "discount": line.discount, "tax_ids": line.tax_ids})
                targets.append((order.id, line.id))
        if billed and all(found.invoiced.get(line.id, ZERO) + billed.get(line.id, ZERO) >= line.quantity
                          for line in billable_lines(order)):
            for tax_ids, amount in found.down_payments.items():
                if amount > 0:
                    lines.append({"description": gettext("Down payment deducted (%(order)s)",
                                                         order=order.display_name),
                                  "quantity": -1, "unit_price": amount, "tax_ids": list(tax_ids)})
                    targets.append((order.id, None))
    if quantities is not None:
        unknown = set(quantities) - {line_id for _order, line_id in targets}
        _refuse_unknown(orders, unknown, quantities)
    if not lines:
        raise ValidationError(gettext(
            "Nothing to invoice on %(orders)s: what is invoiced on order is invoiced already, and what is invoiced "
            "on delivery has not been delivered since.", orders=", ".join(o.display_name for o in orders)), "lines")
    with session.begin_nested():
        invoice = create_invoice(session, partner_id=first.partner_id, date=date, lines=lines,
                                 company_id=first.company_id, currency_code=first.currency_code,
                                 reference=", ".join(order.number for order in orders)[:64])
        _link(session, invoice, targets)
        sync_invoiced(session, orders)
    return invoice


def invoice_selected(session: Session, orders: Iterable[SaleOrder], *, date: dt.date | None = None) -> list[Invoice]:
    """Draft invoices of everything the orders have to invoice: one per customer and currency (in the order the
    orders came). All or nothing: orders with nothing to invoice are refused, every one named."""
    orders = list(orders)
    if not orders:
        raise ValidationError(gettext("Choose the orders to invoice."), "orders")
    found = invoicing_of(session, orders)
    idle = [order.display_name for order in orders if not found[order.id].to_invoice]
    if idle:
        raise ValidationError(ngettext(
            "Nothing to invoice on %(orders)s: untick it and invoice the others.",
            "Nothing to invoice on %(orders)s: untick them and invoice the others.", len(idle),
            orders=", ".join(idle)), "orders")
    groups: dict[tuple, list[SaleOrder]] = {}
    for order in orders:
        groups.setdefault((order.company_id, order.partner_id, order.currency_code), []).append(order)
    with session.begin_nested():
        return [invoice_orders(session, group, date=date) for group in groups.values()]


def _line_quantity(order: SaleOrder, line: SaleOrderLine, number: int, found: OrderInvoicing, policy: str,
                   quantities: Mapping[int, object] | None) -> Decimal:
    """What to invoice of ``line``: the quantity asked (checked against what may be), else all it has to."""
    most = found.to_invoice.get(line.id, ZERO)
    if quantities is None:
        return most
    if line.id not in quantities or quantities[line.id] in (None, ""):
        return ZERO
    where = f"quantities-{line.id}"
    asked = parse_quantity(quantities[line.id], where)
    if asked < 0:
        raise ValidationError(gettext("Line %(number)s of %(order)s: a quantity to invoice cannot be negative.",
                                      number=number, order=order.display_name), where)
    if asked > most:
        values = {"number": number, "order": order.display_name, "asked": plain(asked), "most": plain(most),
                  "invoiced": plain(found.invoiced.get(line.id, ZERO))}
        if policy == DELIVERED:
            message = gettext("Line %(number)s of %(order)s is invoiced on delivered quantities: %(delivered)s "
                              "delivered and %(invoiced)s invoiced, so %(asked)s cannot be invoiced (at most "
                              "%(most)s).", delivered=plain(line.qty_delivered), **values)
        else:
            message = gettext("Line %(number)s of %(order)s: %(ordered)s ordered and %(invoiced)s invoiced, so "
                              "%(asked)s cannot be invoiced (at most %(most)s).", ordered=plain(line.quantity), **values)
        raise ValidationError(message, where)
    return asked


def _refuse_unknown(orders: list[SaleOrder], unknown: set, quantities: Mapping) -> None:
    own = {line.id for order in orders for line in billable_lines(order)}
    stray = sorted(str(line_id) for line_id in unknown if line_id not in own)
    if stray:
        raise ValidationError(gettext("Line %(line)s is not a line to invoice of these orders.", line=stray[0]),
                              f"quantities-{stray[0]}")


def _link(session: Session, invoice: Invoice, targets: list[tuple[int, int | None]]) -> None:
    for line, (order_id, order_line_id) in zip(invoice.lines, targets, strict=True):
        session.add(InvoiceLineLink(invoice_line_id=line.id, order_id=order_id, order_line_id=order_line_id))
    session.flush()


def invoice_down_payment(session: Session, order: SaleOrder, *, percent=None, amount=None,
                         date: dt.date | None = None) -> Invoice:
    """A draft invoice of a down payment on a confirmed order: ``percent`` of its untaxed amount, or a fixed
    untaxed ``amount``, spread over the order's taxes as its lines are."""
    _require_confirmed(order)
    if (percent in (None, "")) == (amount in (None, "")):
        raise ValidationError(gettext("Give the down payment as a percentage or as an amount, not both."),
                              "percent")
    places = decimals(session, order.currency_code)
    base = sum((line.subtotal for line in billable_lines(order)), ZERO)
    if percent not in (None, ""):
        share = parse_quantity(percent, "percent")
        if not ZERO < share <= HUNDRED:
            raise ValidationError(gettext("A down payment is a percentage above 0 and up to 100."), "percent")
        total = round_amount(base * share / HUNDRED, places)
    else:
        total = parse_quantity(amount, "amount")
        if total <= 0 or total > base:
            raise ValidationError(gettext(
                "A down payment is an amount above 0 and up to the untaxed amount of %(order)s (%(base)s).",
                order=order.display_name, base=plain(base)), "amount")
        if total != round_amount(total, places):
            raise ValidationError(gettext("At most %(count)s decimals.", count=places), "amount")
    lines = [{"description": gettext("Down payment on %(order)s", order=order.display_name), "quantity": 1,
              "unit_price": part, "tax_ids": list(tax_ids)}
             for tax_ids, part in _spread(order, base, total, places).items() if part]
    if not lines:
        raise ValidationError(gettext("The down payment amounts to zero once rounded."), "amount")
    with session.begin_nested():
        invoice = create_invoice(session, partner_id=order.partner_id, date=date, lines=lines,
                                 company_id=order.company_id, currency_code=order.currency_code,
                                 reference=order.number)
        _link(session, invoice, [(order.id, None)] * len(lines))
    return invoice


def _spread(order: SaleOrder, base: Decimal, total: Decimal, places: int) -> dict[tuple[int, ...], Decimal]:
    """``total`` parted between the order's sets of taxes in proportion to their untaxed amounts (the last set
    takes the rounding)."""
    groups: dict[tuple[int, ...], Decimal] = {}
    for line in billable_lines(order):
        key = tuple(sorted(line.tax_ids))
        groups[key] = groups.get(key, ZERO) + line.subtotal
    parts, left = {}, total
    keys = list(groups)
    for index, key in enumerate(keys):
        part = left if index == len(keys) - 1 else round_amount(total * groups[key] / base, places)
        parts[key], left = part, left - part
    return parts


# --- reacting to accounting ---------------------------------------------------------------


def orders_of_invoice(session: Session, invoice: Invoice) -> set[int]:
    """The ids of the orders an invoice bills."""
    with system_rows(session) as system:
        return set(system.scalars(select(InvoiceLineLink.order_id).join(
            InvoiceLine, InvoiceLine.id == InvoiceLineLink.invoice_line_id).where(
            InvoiceLine.invoice_id == invoice.id)))


def link_credit_note(session: Session, credit_note: Invoice) -> None:
    """Link a customer credit note's lines to the order lines its invoice's lines billed: each to the invoice
    line it names as credited (``origin_line_id``), else to the first unused line of the invoice with the same
    product and description, else the same product."""
    if credit_note.kind != OUT_REFUND or credit_note.origin_invoice_id is None:
        return
    with system_rows(session) as system:
        origin = system.execute(select(InvoiceLine.id, InvoiceLine.product_id, InvoiceLine.description,
                                       InvoiceLineLink.order_id, InvoiceLineLink.order_line_id)
                                .join(InvoiceLineLink, InvoiceLineLink.invoice_line_id == InvoiceLine.id)
                                .where(InvoiceLine.invoice_id == credit_note.origin_invoice_id)
                                .order_by(InvoiceLine.sequence, InvoiceLine.id)).all()
        if not origin:
            return
        linked = set(system.scalars(select(InvoiceLineLink.invoice_line_id).join(
            InvoiceLine, InvoiceLine.id == InvoiceLineLink.invoice_line_id).where(
            InvoiceLine.invoice_id == credit_note.id)))
        unused = list(origin)
        for line in credit_note.lines:
            if line.id in linked:
                continue
            match = (next((row for row in origin if row[0] == line.origin_line_id), None)
                     or next((row for row in unused if (row[1], row[2]) == (line.product_id, line.description)), None)
                     or next((row for row in unused if row[1] == line.product_id), None))
            if match is not None:
                if match in unused:
                    unused.remove(match)
                system.add(InvoiceLineLink(invoice_line_id=line.id, order_id=match[3], order_line_id=match[4]))


def invoice_posted(session: Session, invoice: Invoice) -> None:
    """The ``invoice_posted`` hook: a credit note of an order's invoice is linked to its lines, and the
    invoiced quantities of the orders the document bills are written again (as the system: the accountant
    posting need not be granted the orders)."""
    link_credit_note(session, invoice)
    order_ids = orders_of_invoice(session, invoice)
    if order_ids:
        with system_rows(session) as system:
            sync_invoiced(system, system.scalars(select(SaleOrder).where(SaleOrder.id.in_(order_ids))).all())


def drop_drafts(session: Session, order: SaleOrder) -> list[str]:
    """Delete the draft invoices that bill only ``order`` (a draft has no number to keep); say what else
    bills it and cannot be undone here."""
    state = invoicing_of(session, [order])[order.id]
    sentences = []
    with system_rows(session) as system:
        for found in state.invoices:
            if found.state == INVOICE_DRAFT:
                others = system.scalar(select(func.count()).select_from(InvoiceLineLink).join(
                    InvoiceLine, InvoiceLine.id == InvoiceLineLink.invoice_line_id).where(
                    InvoiceLine.invoice_id == found.id, InvoiceLineLink.order_id != order.id))
                if others:
                    sentences.append(gettext("Draft invoice %(invoice)s also bills other orders: remove the lines "
                                             "of %(order)s from it.", invoice=found.name, order=order.display_name))
                    continue
                system.execute(delete(InvoiceLineLink).where(InvoiceLineLink.invoice_line_id.in_(
                    select(InvoiceLine.id).where(InvoiceLine.invoice_id == found.id))))
                system.delete(system.get(Invoice, found.id))
                held = session.identity_map.get(session.identity_key(Invoice, found.id))
                if held is not None and held in session:
                    session.expunge(held)
            elif found.kind == OUT_INVOICE and not system.scalar(select(func.count()).select_from(Invoice).where(
                    Invoice.origin_invoice_id == found.id, Invoice.state == INVOICE_POSTED)):
                sentences.append(gettext("Invoice %(invoice)s is posted: credit it to cancel it.",
                                         invoice=found.name))
    return sentences
