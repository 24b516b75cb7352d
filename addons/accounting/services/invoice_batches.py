"""Many invoices posted at once: the checks of one by one, written a batch per statement.

:func:`post_new_invoices` is for what arrives in bulk (a shop's orders of the
day, a migration, an API client), :func:`post_invoices` for the drafts a user
posts together: each invoice is checked and computed by the very code
:func:`~.invoices.create_invoice` and :func:`~.invoices.post_invoice` use,
then the whole batch is written with
:mod:`core.bulk` (one statement per table, access, record rules, the
accounting guards' ``validate_rows`` and the audit log applied to the batch)
instead of one flush per invoice.

- All or nothing: an invoice that breaks a rule refuses the whole batch, and
  the error names it by its position ("Invoice 37: ...") and the field;
  nothing of the batch is written.
- Numbers stay gapless and in date order: for each journal and fiscal year
  the batch takes one block of numbers (the sequence row stays locked until
  commit, as when posting one by one, so concurrent batches queue), gives
  them out by date, and refuses a batch dated before the journal's last
  posted entry.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from addons.contacts.models import Partner
from addons.products.models import Product
from core.bulk import collector_paused, insert_rows, update_rows
from core.errors import ValidationError
from core.sequences import reserve_numbers

from ..guards import BATCH_POSTING, allow, require_balanced
from ..models import (Account, FiscalYear, Invoice, InvoiceLine, InvoiceTax, Journal, Move, MoveLine, PartnerAccounting,
                      Tax)
from ..models.invoicing import OUT_INVOICE, POSTED
from ..models.ledger import DRAFT, PURCHASE, SALE
from .invoices import (Booking, LineInput, announce_posted, book, check_draft, compute_invoice, new_draft,
                       posted_payment_state, require_draft, require_poster)
from .ledger import (chronology_error, entry_number, fiscal_year_of, latest_posted_date, period_of,
                     posting_values)


@dataclass
class InvoiceInput:
    """One invoice of a batch: the arguments of :func:`~.invoices.create_invoice` (a dict works too)."""

    partner_id: int
    kind: str = OUT_INVOICE
    date: dt.date | None = None
    lines: Sequence[LineInput | Mapping] = field(default_factory=tuple)
    journal_id: int | None = None
    currency_code: str | None = None
    payment_term_id: int | None = None
    due_date: dt.date | None = None
    reference: str | None = None
    narration: str | None = None


@dataclass
class _Posting:
    position: int
    invoice: Invoice
    booking: Booking
    year: FiscalYear
    number: int = 0


def post_new_invoices(session: Session, inputs: Sequence[InvoiceInput | Mapping]) -> list[int]:
    """Create and post ``inputs`` in one go; return the new invoices' ids, in the order given."""
    require_poster(session)
    values = [dict(item) if isinstance(item, Mapping) else {f.name: getattr(item, f.name) for f in fields(item)}
              for item in inputs]
    if not values:
        return []
    with collector_paused(), session.begin_nested(), allow(session, BATCH_POSTING), _references(session, values):
        postings = [_prepare(session, position, lambda data=data: new_draft(session, **data))
                    for position, data in enumerate(values, 1)]
        _number(session, postings)
        move_ids = _write_entries(session, postings)
        invoice_ids = _write_invoices(session, postings, move_ids)
    _announce(session, invoice_ids)
    return invoice_ids


def post_invoices(session: Session, drafts: Sequence[Invoice]) -> list[Invoice]:
    """Post stored drafts in one go (the list's "Post the drafts"), each checked as :func:`post_invoice` does."""
    require_poster(session)
    if not drafts:
        return []
    with collector_paused(), session.begin_nested(), allow(session, BATCH_POSTING):
        postings = [_prepare(session, position, lambda draft=draft: _checked_draft(session, draft))
                    for position, draft in enumerate(drafts, 1)]
        _number(session, postings)
        move_ids = _write_entries(session, postings)
        update_rows(session, Invoice, {
            p.invoice.id: {"state": POSTED, "number": entry_number(p.invoice.journal, p.year, p.number),
                           "move_id": move_id, "rate": p.booking.rate, "residual": p.invoice.amount_total,
                           "payment_state": posted_payment_state(p.invoice), "due_date": p.booking.due_date}
            for p, move_id in zip(postings, move_ids, strict=True)})
    _announce(session, [draft.id for draft in drafts])
    return list(drafts)


def _checked_draft(session: Session, invoice: Invoice) -> Invoice:
    require_draft(invoice)
    check_draft(session, invoice)
    compute_invoice(session, invoice)
    return invoice


def _announce(session: Session, invoice_ids: list[int]) -> None:
    """The ``invoice_posted`` (and for a zero total ``invoice_paid``) hooks for each invoice, as posting one by
    one calls them."""
    registry = session.info.get("registry")
    if registry is not None and (registry.hook.invoice_posted.get_hookimpls()
                                 or registry.hook.invoice_paid.get_hookimpls()):
        announce_posted(session, session.scalars(select(Invoice).where(Invoice.id.in_(invoice_ids))
                                                 .order_by(Invoice.id)))


@contextmanager
def _references(session: Session, values: list[dict]) -> Iterator[None]:
    """Load the batch's partners, accounts, taxes, products and journals, one query per model, as the user, and
    hold them while the batch runs: the checks' ``session.get`` then finds them in the identity map."""
    wanted = defaultdict(set)
    for data in values:
        wanted[Partner].add(data.get("partner_id"))
        wanted[Journal].add(data.get("journal_id"))
        for line in data.get("lines") or ():
            line = line if isinstance(line, Mapping) else vars(line)
            wanted[Account].add(line.get("account_id"))
            wanted[Product].add(line.get("product_id"))
            wanted[Tax].update(line.get("tax_ids") or ())
    loaded = []
    for model, ids in wanted.items():
        ids = {value for value in ids if isinstance(value, int) and not isinstance(value, bool)}
        if ids:
            loaded += session.scalars(select(model).where(model.id.in_(ids))).all()
    partner_ids = [obj.id for obj in loaded if isinstance(obj, Partner)]
    if partner_ids:
        loaded += session.scalars(select(PartnerAccounting).where(PartnerAccounting.partner_id.in_(partner_ids)))
    yield
    loaded.clear()


def _prepare(session: Session, position: int, draft) -> _Posting:
    """The draft ``draft()`` gives, checked and booked; an error names the invoice by its place in the batch."""
    try:
        invoice = draft()
        booking = book(session, invoice)
        require_balanced(booking.lines)
        year = fiscal_year_of(session, invoice.company_id, date=invoice.date)
    except ValidationError as error:
        raise ValidationError(gettext("Invoice %(position)s: %(error)s", position=position, error=str(error)),
                              error.field) from None
    return _Posting(position, invoice, booking, year)


def _number(session: Session, postings: list[_Posting]) -> None:
    """Reserve each journal's block of numbers for the batch and give them out in date order."""
    series = defaultdict(list)
    for posting in postings:
        series[posting.invoice.journal, posting.year].append(posting)
    for (journal, year), members in series.items():
        first = reserve_numbers(session, journal.company_id, f"accounting.journal.{journal.id}", year.name,
                                len(members))
        members.sort(key=lambda posting: (posting.invoice.date, posting.position))
        if journal.kind in (SALE, PURCHASE):
            latest = latest_posted_date(session, journal, year)
            if latest is not None and members[0].invoice.date < latest:
                error = chronology_error(journal, latest, members[0].invoice.date)
                raise ValidationError(gettext("Invoice %(position)s: %(error)s", position=members[0].position,
                                              error=str(error)), error.field)
        for offset, posting in enumerate(members):
            posting.number = first + offset


def _write_entries(session: Session, postings: list[_Posting]) -> list[int]:
    """The journal entries: drafts with their lines, then posted (as the ledger's triggers require)."""
    moves = [{"company_id": p.invoice.company_id, "journal_id": p.invoice.journal_id, "date": p.invoice.date,
              "ref": p.invoice.reference, "partner_id": p.invoice.partner_id, "origin": "invoice",
              "narration": p.invoice.narration, "state": DRAFT} for p in postings]
    move_ids = insert_rows(session, Move, moves)
    lines = [{"company_id": p.invoice.company_id, "move_id": move_id, "account_id": spec.account_id,
              "partner_id": spec.partner_id, "name": spec.name, "debit": spec.debit, "credit": spec.credit,
              "currency_code": spec.currency_code, "amount_currency": spec.amount_currency, "date": p.invoice.date,
              "date_maturity": spec.date_maturity, "journal_id": p.invoice.journal_id, "posted": False,
              "tax_id": spec.tax_id, "tax_base_amount": spec.tax_base_amount}
             for p, move_id in zip(postings, move_ids, strict=True) for spec in p.booking.lines]
    line_ids = insert_rows(session, MoveLine, lines)
    update_rows(session, Move, {
        move_id: posting_values(session, p.invoice.journal, p.year, sequence=p.number,
                                period_id=period_of(session, p.year, date=p.invoice.date))
        for p, move_id in zip(postings, move_ids, strict=True)})
    update_rows(session, MoveLine, {line_id: {"posted": True} for line_id in line_ids})
    return move_ids


def _write_invoices(session: Session, postings: list[_Posting], move_ids: list[int]) -> list[int]:
    rows = []
    for p, move_id in zip(postings, move_ids, strict=True):
        invoice = p.invoice
        rows.append({"company_id": invoice.company_id, "kind": invoice.kind, "state": POSTED,
                     "number": entry_number(invoice.journal, p.year, p.number),
                     "partner_id": invoice.partner_id, "journal_id": invoice.journal_id, "date": invoice.date,
                     "due_date": p.booking.due_date, "payment_term_id": invoice.payment_term_id,
                     "currency_code": invoice.currency_code, "rate": p.booking.rate, "reference": invoice.reference,
                     "narration": invoice.narration, "origin_invoice_id": invoice.origin_invoice_id,
                     "move_id": move_id, "amount_untaxed": invoice.amount_untaxed, "amount_tax": invoice.amount_tax,
                     "amount_total": invoice.amount_total, "residual": invoice.amount_total,
                     "payment_state": posted_payment_state(invoice)})
    invoice_ids = insert_rows(session, Invoice, rows)
    drafts = [(p.invoice, invoice_id) for p, invoice_id in zip(postings, invoice_ids, strict=True)]
    lines = [(line, invoice_id) for invoice, invoice_id in drafts for line in invoice.lines]
    insert_rows(session, InvoiceLine, [
        {"company_id": line.company_id, "invoice_id": invoice_id, "sequence": line.sequence,
         "description": line.description, "product_id": line.product_id, "account_id": line.account_id,
         "quantity": line.quantity, "unit_price": line.unit_price, "discount": line.discount,
         "subtotal": line.subtotal, "total": line.total} for line, invoice_id in lines],
        collections={"taxes": [line.taxes for line, _invoice_id in lines]})
    insert_rows(session, InvoiceTax, [
        {"company_id": row.company_id, "invoice_id": invoice_id, "tax_id": row.tax_id, "base": row.base,
         "amount": row.amount} for invoice, invoice_id in drafts for row in invoice.taxes])
    return invoice_ids
