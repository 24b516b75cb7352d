"""Vendor bills made from confirmed purchase orders, and what each order line has been billed.

- "Create bill" makes one draft supplier bill (accounting's ``in_invoice``)
  for what is to bill now: per order line, what the policy allows (ordered,
  or received: :mod:`.settings`) minus what the line's other bills already
  bill. Each bill line keeps its order line (:class:`~..models.BillLine`),
  product, quantity in the order line's unit (named in the description, as a
  bill line has no unit), unit price, and the product's default purchase
  taxes (accounting's: the product's, its category's, the company's), else
  the purchase tax of the billing settings; its account
  is the settings' account for goods for a product that is not a service,
  else (with stock valued in the ledger, ``goods_received_account``) the
  goods received not billed account the receipt credited, else accounting's
  default expense account. The bill is in the order's
  currency; an order in another currency than the company's needs a rate
  on the bill's date, or nothing is made.
- An order may have several bills. A line's billed quantity counts the lines
  of its bills that are not cancelled, drafts included, so two drafts never
  bill the same quantity, less what the posted supplier credit notes of
  those bills credit: a credit note's lines take the order lines of the bill
  lines they credit (:func:`credit_note_links`), so what was refunded can be
  billed again and the three-way check counts what is billed in the end.
- Only who may create bills in accounting (billing users, accountants) makes
  them; the links are the bridge's bookkeeping, written by the system.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from addons.accounting.models import Invoice, InvoiceLine
from addons.accounting.models.invoicing import CANCELLED, IN_INVOICE, IN_REFUND, POSTED
from addons.accounting.services.currency import rate_at
from addons.accounting.models.taxes import PURCHASE as PURCHASE_TAX
from addons.accounting.services.invoices import LineInput, create_invoice
from addons.accounting.services.product_defaults import default_taxes
from addons.products.models import SERVICE
from addons.purchase.models import DONE, PURCHASE, PurchaseOrder
from core.errors import AccessDenied, ValidationError
from core.sessions import system_rows

from ..models import BillLine
from .settings import billable, billing_settings, bills_received

ZERO = Decimal(0)


#: the bills that count: those not cancelled (drafts too), less the posted credit notes
COUNTED = or_(and_(Invoice.kind == IN_INVOICE, Invoice.state != CANCELLED),
              and_(Invoice.kind == IN_REFUND, Invoice.state == POSTED))
#: a linked line's quantity as billed: a credit note's takes away
SIGNED_QUANTITY = case((Invoice.kind == IN_REFUND, -InvoiceLine.quantity), else_=InvoiceLine.quantity)


def net_billed(order_line_ids, counted):
    """The query of order line id -> the signed quantity the linked lines of the bills ``counted`` bill."""
    return (select(BillLine.order_line_id, func.sum(SIGNED_QUANTITY))
            .join(InvoiceLine, InvoiceLine.id == BillLine.invoice_line_id)
            .join(Invoice, Invoice.id == BillLine.invoice_id)
            .where(BillLine.order_line_id.in_(set(order_line_ids)), counted)
            .group_by(BillLine.order_line_id))


def billed_quantities(session: Session, order_line_ids) -> dict[int, Decimal]:
    """order line id -> what its bills that are not cancelled bill, less what their posted credit notes credit,
    in the line's unit."""
    ids = set(order_line_ids)
    if not ids:
        return {}
    with system_rows(session) as system:  # billed quantities are the order's facts, whoever reads the order
        rows = system.execute(net_billed(ids, COUNTED)).all()
    return {line_id: Decimal(quantity) for line_id, quantity in rows}


def credit_note_links(session: Session, lines) -> list[BillLine]:
    """The links of new credit note ``lines`` (of supplier credit notes of bills made from orders): each takes
    the order line of a bill line it credits, one of the same product and description, else of the same
    product, in the bill's order; a line crediting nothing of the bill stays unlinked."""
    lines = [line for line in lines if line.invoice is not None and line.invoice.kind == IN_REFUND
             and line.invoice.origin_invoice_id is not None]
    if not lines:
        return []
    rows = session.execute(
        select(BillLine, InvoiceLine.product_id, InvoiceLine.description)
        .join(InvoiceLine, InvoiceLine.id == BillLine.invoice_line_id)
        .where(BillLine.invoice_id.in_({line.invoice.origin_invoice_id for line in lines}))
        .order_by(InvoiceLine.sequence, InvoiceLine.id)).all()
    made = []
    for line in sorted(lines, key=lambda line: line.sequence or 0):
        same = [row for row in rows if row.BillLine.invoice_id == line.invoice.origin_invoice_id
                and row.product_id == line.product_id]
        found = next((row for row in same if row.description == line.description), same[0] if same else None)
        if found is not None:
            link = found.BillLine
            made.append(BillLine(invoice_line=line, invoice=line.invoice, order_line_id=link.order_line_id,
                                 order_id=link.order_id, company_id=link.company_id))
    return made


def to_bill(session: Session, order: PurchaseOrder) -> dict[int, Decimal]:
    """order line id -> what is to bill now (the policy's quantity less what is billed), when positive."""
    received = bills_received(session, order.company_id)
    billed = billed_quantities(session, [line.id for line in order.lines])
    found = {}
    for line in order.lines:
        left = billable(line, received) - billed.get(line.id, ZERO)
        if left > 0:
            found[line.id] = left
    return found


def order_bills(session: Session, order: PurchaseOrder) -> list[Invoice]:
    """The bills made from ``order``, the oldest first (those the user may read)."""
    return list(session.scalars(select(Invoice).where(Invoice.id.in_(
        select(BillLine.invoice_id).where(BillLine.order_id == order.id))).order_by(Invoice.date, Invoice.id)))


def bill_orders(session: Session, invoice: Invoice) -> list[PurchaseOrder]:
    """The orders ``invoice`` bills."""
    return list(session.scalars(select(PurchaseOrder).where(PurchaseOrder.id.in_(
        select(BillLine.order_id).where(BillLine.invoice_id == invoice.id))).order_by(PurchaseOrder.id)))


def create_bill(session: Session, order: PurchaseOrder, *, date: dt.date | None = None) -> Invoice:
    """A draft supplier bill for what is to bill now on the confirmed ``order``."""
    actor, registry = session.info.get("actor"), session.info["registry"]
    if actor is not None and not registry.can(actor, Invoice, "create"):
        raise AccessDenied(gettext("Only a billing user or an accountant can create bills; %(login)s cannot.",
                                   login=actor.login))
    if order.state not in (PURCHASE, DONE):
        raise ValidationError(gettext("%(order)s is not a confirmed purchase order: confirm it before billing it.",
                                      order=order.display_name), "state")
    date = date or dt.date.today()
    quantities = to_bill(session, order)
    if not quantities:
        raise ValidationError(gettext("Nothing is left to bill on %(order)s.", order=order.display_name), "lines")
    rate_at(session, order.company_id, order.currency_code, date=date)
    settings = billing_settings(session, order.company_id)
    # a product's own default purchase taxes (its, its category's, the company's) first, else the settings' tax
    fallback = [settings.tax_id] if settings is not None and settings.tax_id is not None else []
    goods_account_id = (settings.goods_account_id if settings is not None else None) or \
        session.info["registry"].hook.goods_received_account(session=session, company_id=order.company_id)
    lines = [line for line in order.lines if line.id in quantities]
    with session.begin_nested():
        invoice = create_invoice(session, partner_id=order.partner_id, kind=IN_INVOICE, date=date,
                                 company_id=order.company_id, currency_code=order.currency_code,
                                 reference=order.supplier_reference or order.number, lines=[
                                     LineInput(description=_description(order, line), quantity=quantities[line.id],
                                               unit_price=line.unit_price,
                                               tax_ids=_bill_tax_ids(session, line.product, fallback),
                                               product_id=line.product_id,
                                               account_id=None if line.product.kind == SERVICE else goods_account_id)
                                     for line in lines])
        with system_rows(session) as system:
            system.add_all(BillLine(invoice_line_id=bill_line.id, invoice_id=invoice.id, order_line_id=line.id,
                                    order_id=order.id, company_id=order.company_id)
                           for bill_line, line in zip(invoice.lines, lines, strict=True))
    return invoice


def _bill_tax_ids(session: Session, product, fallback: list[int]) -> list[int]:
    return [tax.id for tax in default_taxes(session, product, PURCHASE_TAX)] or fallback


def _description(order: PurchaseOrder, line) -> str:
    return f"{order.number}: {line.description} ({line.uom.display_name})"


def bills_by_order_line(session: Session, invoice: Invoice) -> dict[int, int]:
    """bill line id -> the order line it bills, for ``invoice``'s linked lines."""
    return dict(session.execute(select(BillLine.invoice_line_id, BillLine.order_line_id)
                                .where(BillLine.invoice_id == invoice.id)).all())

