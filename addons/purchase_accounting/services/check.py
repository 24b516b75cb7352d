"""The three-way check of a bill made from purchase orders: ordered / received / billed, and the price.

For each bill line made from an order line, :func:`check_bill` compares
what the line bills, plus what the order line's other *posted* bills bill
(less what their posted credit notes credit), with what was ordered and (under the received policy, while stock counts
receipts) with what was received, and its net unit price with the order's.
A draft that bills the same quantity twice shows up when the second one is
posted. A credit note is not checked: it takes back what its bill billed.

Posting a bill with differences is refused, naming the lines, for every way
a bill is posted (one by one, or in a batch): the guard runs in the
``validate_flush`` / ``validate_rows`` hooks, when the bill's state becomes
posted. A purchase manager or an accountant may accept the differences
(:func:`accept_differences`): the acceptance records who, when, why and
exactly which differences; it holds while the check finds exactly those, so
a bill changed after the acceptance needs a new one. The core's audit log
keeps every acceptance.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from addons.accounting.models import Invoice
from addons.accounting.models.invoicing import DRAFT, IN_INVOICE, POSTED
from addons.accounting.security import ACCOUNTANT
from addons.purchase.models import OrderLine
from addons.purchase.security import MANAGER
from core.db import utcnow
from core.errors import AccessDenied, ValidationError
from core.sessions import system_rows

from ..models import Acceptance, BillLine
from .bills import net_billed
from .settings import bills_received, receiving

ZERO = Decimal(0)
HUNDRED = Decimal(100)
OVER_ORDERED, OVER_RECEIVED, PRICE = "over_ordered", "over_received", "price"


@dataclass(frozen=True)
class CheckLine:
    """One bill line against its order line; quantities in the order line's unit, prices in the order's
    currency."""

    position: int
    description: str
    order_name: str
    ordered: Decimal
    received: Decimal | None  # None: nothing counts receipts (stock is not installed)
    billed_before: Decimal  # on the order line's other posted bills
    billed: Decimal  # on this bill
    order_price: Decimal
    bill_price: Decimal
    problems: tuple[str, ...]

    @property
    def billed_in_all(self) -> Decimal:
        return self.billed_before + self.billed

    def has(self, problem: str) -> bool:
        return problem in self.problems


def check_bill(session: Session, invoice: Invoice) -> list[CheckLine]:
    """The three-way check of each of ``invoice``'s lines made from an order line, in the bill's order."""
    if invoice.kind != IN_INVOICE:
        return []
    links = dict(session.execute(select(BillLine.invoice_line_id, BillLine.order_line_id)
                                 .where(BillLine.invoice_id == invoice.id)).all())
    if not links:
        return []
    order_lines = {line.id: line for line in session.scalars(select(OrderLine).where(
        OrderLine.id.in_(set(links.values()))))}
    before = dict(session.execute(net_billed(links.values(), (Invoice.state == POSTED) & (Invoice.id != invoice.id)))
                  .all())
    received_policy = bills_received(session, invoice.company_id)
    counted = receiving(session)
    found = []
    for position, bill_line in enumerate(invoice.lines, 1):
        order_line = order_lines.get(links.get(bill_line.id))
        if order_line is None:
            continue
        billed_before = Decimal(before.get(order_line.id) or ZERO)
        in_all = billed_before + bill_line.quantity
        bill_price = bill_line.unit_price * (HUNDRED - bill_line.discount) / HUNDRED
        problems = []
        if in_all > order_line.quantity:
            problems.append(OVER_ORDERED)
        if received_policy and in_all > order_line.received_quantity:
            problems.append(OVER_RECEIVED)
        if bill_price != order_line.unit_price:
            problems.append(PRICE)
        found.append(CheckLine(
            position=position, description=bill_line.description, order_name=order_line.order.display_name,
            ordered=order_line.quantity, received=order_line.received_quantity if counted else None,
            billed_before=billed_before, billed=bill_line.quantity, order_price=order_line.unit_price,
            bill_price=bill_price, problems=tuple(problems)))
    return found


def describe(lines: list[CheckLine]) -> str:
    """The differences found, one sentence per line with any (empty when there are none)."""
    sentences = []
    for line in lines:
        said = []
        if line.has(OVER_ORDERED):
            said.append(gettext("bills %(billed)s in all but %(ordered)s were ordered",
                                billed=_quantity(line.billed_in_all), ordered=_quantity(line.ordered)))
        if line.has(OVER_RECEIVED):
            said.append(gettext("bills %(billed)s in all but %(received)s were received",
                                billed=_quantity(line.billed_in_all), received=_quantity(line.received)))
        if line.has(PRICE):
            said.append(gettext("costs %(bill)s a unit where the order says %(order)s",
                                bill=_quantity(line.bill_price), order=_quantity(line.order_price)))
        if said:
            sentences.append(gettext("Line %(number)s (%(description)s): %(problems)s.", number=line.position,
                                     description=line.description, problems="; ".join(said)))
    return " ".join(sentences)


def _quantity(value: Decimal) -> str:
    return f"{value.normalize():f}"


def accepted(session: Session, invoice: Invoice, differences: str) -> bool:
    """Whether someone accepted exactly these ``differences`` of ``invoice``."""
    acceptance = session.get(Acceptance, invoice.id)
    return acceptance is not None and acceptance.differences == differences


def accept_differences(session: Session, invoice_id: int, *, reason: str | None = None) -> Acceptance:
    """A purchase manager or an accountant accepts the differences the check finds on a draft bill.

    A purchase manager may not read accounting's bills: the bill is read by the
    system once the acting user is known to be allowed, and the acceptance is
    written as the user (audited as theirs)."""
    actor = session.info.get("actor")
    if actor is not None and not (actor.in_group(MANAGER) or actor.in_group(ACCOUNTANT)):
        raise AccessDenied(gettext("Only a purchase manager or an accountant can accept a bill's differences; "
                                   "%(login)s cannot.", login=actor.login))
    with system_rows(session) as system:
        invoice = system.get(Invoice, invoice_id)
        if invoice is None:
            raise ValidationError(gettext("There is no bill %(id)s.", id=invoice_id), "invoice_id")
        name, state, company_id = invoice.display_name, invoice.state, invoice.company_id
        differences = describe(check_bill(system, invoice))
    if state != DRAFT:
        raise ValidationError(gettext("%(bill)s is not a draft: its differences can no longer be accepted.",
                                      bill=name), "state")
    if not differences:
        raise ValidationError(gettext("%(bill)s matches its orders: there is no difference to accept.",
                                      bill=name), "lines")
    acceptance = session.get(Acceptance, invoice_id) or Acceptance(invoice_id=invoice_id, company_id=company_id)
    acceptance.accepted_by_id = actor.user_id if actor is not None else None
    acceptance.accepted_at = utcnow()
    acceptance.differences = differences
    acceptance.reason = (reason or "").strip() or None
    session.add(acceptance)
    session.flush()
    return acceptance


def require_checked(session: Session, invoices) -> None:
    """Refuse to post any of ``invoices`` whose lines differ from their orders, unless accepted."""
    for invoice in invoices:
        differences = describe(check_bill(session, invoice))
        if differences and not accepted(session, invoice, differences):
            raise ValidationError(gettext(
                "%(bill)s differs from its purchase order: %(differences)s A purchase manager or an accountant "
                "must accept the differences before it is posted.",
                bill=invoice.display_name, differences=differences), "lines")
