"""Customer invoices, supplier bills and credit notes: drafts, totals, posting, credit notes.

A draft is created and changed through :func:`create_invoice` and
:func:`update_invoice`, which check every value (naming the field, as
``lines-0-quantity``) before anything is written, and recompute the lines'
amounts and the invoice's taxes (:mod:`.taxes`). A line may have a negative
quantity (a returned item or a discount line), never a negative price; the
invoice as a whole must not be negative when posted (that is a credit note).
A line with a product takes the product's default account and, when its
``tax_ids`` are not given (``None``), its default taxes of the document's
side (:mod:`.product_defaults`); an empty list given means no taxes.

:func:`post_invoice` (accountants only) turns a draft into its journal entry:
one receivable/payable line per instalment of the payment term, one
income/expense line per invoice line, one line per tax (two, opposite, for a
reverse charge), converted at the invoice date's rate when the invoice is in
another currency. Everything happens in a savepoint: a missing rate, a
closed year or a lock date leave nothing behind. An invoice whose total is
zero is paid by being posted (nothing is due; no payment, no match).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from flask_babel import gettext
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from addons.contacts.models import Partner
from addons.products.models import Product
from core.errors import AccessDenied, ValidationError
from core.fields import clean

from ..guards import posting_invoice
from ..models import Account, Invoice, InvoiceLine, InvoiceTax, Journal, Move, PartnerAccounting, PaymentTerm, Tax
from ..models.invoicing import (DRAFT, IN_INVOICE, IN_REFUND, INVOICE_KINDS, NOT_PAID, OUT_INVOICE, OUT_REFUND, PAID,
                                POSTED)
from ..models.ledger import PURCHASE, SALE
from .books import company_settings, default_journal, partner_accounts
from .currency import company_currency, decimals, rate_at, round_amount
from .ledger import LineSpec, create_move, post_move
from .product_defaults import default_account_id, default_taxes
from .taxes import Totals, compute_line, compute_totals
from .terms import Instalment, instalments
from .values import clean_line

ZERO = Decimal(0)
HUNDRED = Decimal(100)
REFUND_OF = {OUT_INVOICE: OUT_REFUND, IN_INVOICE: IN_REFUND}
#: Header fields :func:`update_invoice` accepts besides ``lines``.
HEADER_FIELDS = ("partner_id", "date", "journal_id", "currency_code", "payment_term_id", "due_date", "reference",
                 "narration")


@dataclass
class LineInput:
    """One line as given by a form, the API or a test (a dict with these keys works too)."""

    description: str = ""
    quantity: Decimal | int | str = Decimal(1)
    unit_price: Decimal | int | str | None = None
    discount: Decimal | int | str = ZERO
    #: ``None``: the product's default taxes (none without a product); an empty list: no taxes
    tax_ids: Sequence[int] | None = None
    account_id: int | None = None
    product_id: int | None = None
    #: on a credit note, the id of the line of its invoice it credits
    origin_line_id: int | None = None


def tax_use(kind: str) -> str:
    return SALE if kind in (OUT_INVOICE, OUT_REFUND) else PURCHASE


# --- drafts -----------------------------------------------------------------------------


def create_invoice(session: Session, *, partner_id: int, kind: str = OUT_INVOICE, date: dt.date | None = None,
                   lines: Iterable[LineInput | Mapping] = (), company_id: int | None = None,
                   journal_id: int | None = None, currency_code: str | None = None,
                   payment_term_id: int | None = None, due_date: dt.date | None = None,
                   reference: str | None = None, narration: str | None = None,
                   origin_invoice_id: int | None = None) -> Invoice:
    """A draft invoice (``kind``: out_invoice, in_invoice, out_refund, in_refund) with its lines and totals."""
    invoice = new_draft(session, partner_id=partner_id, kind=kind, date=date, lines=lines, company_id=company_id,
                        journal_id=journal_id, currency_code=currency_code, payment_term_id=payment_term_id,
                        due_date=due_date, reference=reference, narration=narration,
                        origin_invoice_id=origin_invoice_id)
    session.add(invoice)
    session.flush()
    return invoice


def new_draft(session: Session, *, partner_id: int, kind: str = OUT_INVOICE, date: dt.date | None = None,
              lines: Iterable[LineInput | Mapping] = (), company_id: int | None = None, journal_id: int | None = None,
              currency_code: str | None = None, payment_term_id: int | None = None, due_date: dt.date | None = None,
              reference: str | None = None, narration: str | None = None,
              origin_invoice_id: int | None = None) -> Invoice:
    """The checked draft :func:`create_invoice` stores, computed but not added to the session."""
    if kind not in dict(INVOICE_KINDS):
        raise ValidationError(gettext("Unknown kind of invoice %(kind)s.", kind=kind), "kind")
    partner = _partner(session, partner_id)
    company_id = company_id or partner.company_id
    if partner.company_id != company_id:
        raise ValidationError(gettext("%(partner)s belongs to another company.", partner=partner.name), "partner_id")
    invoice = Invoice(company_id=company_id, kind=kind, state=DRAFT, partner_id=partner.id)
    invoice.partner = partner
    values = {"date": date or dt.date.today(), "journal_id": journal_id, "currency_code": currency_code,
              "payment_term_id": payment_term_id, "due_date": due_date, "reference": reference,
              "narration": narration}
    if payment_term_id is None and kind in (OUT_INVOICE, IN_INVOICE):
        values["payment_term_id"] = _partner_term(session, partner, kind)
    _set_header(session, invoice, values)
    invoice.origin_invoice_id = origin_invoice_id
    invoice.lines = _make_lines(session, invoice, list(lines))
    compute_invoice(session, invoice)
    return invoice


def update_invoice(session: Session, invoice: Invoice, *, lines: Iterable[LineInput | Mapping] | None = None,
                   **values) -> Invoice:
    """Change a draft's header fields (see ``HEADER_FIELDS``) and, when given, replace its lines."""
    require_draft(invoice)
    unknown = sorted(set(values) - set(HEADER_FIELDS))
    if unknown:
        raise ValidationError(gettext("Unknown invoice fields: %(names)s", names=", ".join(unknown)), unknown[0])
    if "partner_id" in values:
        partner = _partner(session, values.pop("partner_id"))
        if partner.company_id != invoice.company_id:
            raise ValidationError(gettext("%(partner)s belongs to another company.", partner=partner.name),
                                  "partner_id")
    else:
        partner = invoice.partner
    current = {name: getattr(invoice, name) for name in HEADER_FIELDS if name != "partner_id"}
    _set_header(session, invoice, {**current, **values}, check_only=True)
    new_lines = _make_lines(session, invoice, list(lines)) if lines is not None else None
    # everything is checked: now change the draft
    invoice.partner = partner
    _set_header(session, invoice, {**current, **values})
    if new_lines is not None:
        _discard(session, invoice.lines)
        invoice.lines = new_lines
    compute_invoice(session, invoice)
    session.flush()
    return invoice


def compute_invoice(session: Session, invoice: Invoice) -> Totals:
    """Recompute the lines' subtotal and total, the invoice's ``InvoiceTax`` rows and its amounts."""
    places = decimals(session, invoice.currency_code)
    rounding = company_settings(session, invoice.company_id).tax_rounding
    computed = []
    for line in invoice.lines:
        amounts = compute_line(line.quantity, line.unit_price, line.discount, line.taxes, places, rounding)
        line.subtotal, line.total = amounts.base, amounts.total
        computed.append(amounts)
    totals = compute_totals(computed, places, rounding)
    existing = {row.tax_id: row for row in invoice.taxes}
    rows = []
    for item in totals.taxes:
        row = existing.pop(item.tax.id, None) or InvoiceTax(company_id=invoice.company_id, tax_id=item.tax.id)
        row.tax = item.tax
        row.base, row.amount = item.base, item.amount
        rows.append(row)
    _discard(session, existing.values())
    invoice.taxes = rows
    invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total = totals.untaxed, totals.tax, totals.total
    invoice.residual = totals.total
    return totals


def _discard(session: Session, rows) -> None:
    """Delete rows leaving a collection explicitly, so the flush sees deletions (not writes) of them."""
    for row in list(rows):
        if row in session and inspect(row).persistent:
            session.delete(row)


def invoice_instalments(session: Session, invoice: Invoice) -> list[Instalment]:
    """When the invoice's total falls due: its payment term's instalments, else one on its due date."""
    places = decimals(session, invoice.currency_code)
    term_lines = invoice.payment_term.lines if invoice.payment_term is not None else None
    return instalments(term_lines, invoice.date if term_lines else (invoice.due_date or invoice.date),
                       invoice.amount_total, places)


def _partner(session: Session, partner_id) -> Partner:
    if partner_id in (None, ""):
        raise ValidationError(gettext("An invoice needs a partner."), "partner_id")
    partner = session.get(Partner, _int(partner_id, "partner_id"))
    if partner is None:
        raise ValidationError(gettext("There is no partner %(id)s.", id=partner_id), "partner_id")
    return partner


def _partner_term(session: Session, partner: Partner, kind: str) -> int | None:
    row = session.get(PartnerAccounting, partner.id)
    if row is None:
        return None
    return row.customer_payment_term_id if tax_use(kind) == SALE else row.supplier_payment_term_id


def _set_header(session: Session, invoice: Invoice, values: dict, check_only: bool = False) -> None:
    """Check the header ``values`` of ``invoice`` (and set them unless ``check_only``)."""
    values = {**values, **clean(Invoice, {name: value for name, value in values.items() if value is not None},
                                creating=False)}
    date = values["date"]
    if date is None:
        raise ValidationError(gettext("An invoice needs a date."), "date")
    due = values["due_date"]
    if due is not None and due < date:
        raise ValidationError(gettext("The due date cannot be before the invoice date."), "due_date")
    currency = values["currency_code"] or company_currency(session, invoice.company_id)
    if decimals(session, currency) > 2:  # amounts are stored as Numeric(18, 2)
        raise ValidationError(gettext("Invoices in %(code)s are not supported: its amounts have more than two "
                                      "decimals.", code=currency), "currency_code")
    journal_kind = tax_use(invoice.kind)
    if values["journal_id"] is None:
        journal = default_journal(session, invoice.company_id, journal_kind)
    else:
        journal = session.get(Journal, values["journal_id"])
        if journal is None or journal.company_id != invoice.company_id or journal.kind != journal_kind:
            raise ValidationError(gettext("Choose a %(kind)s journal of this company.", kind=journal_kind),
                                  "journal_id")
    term = None
    if values["payment_term_id"] is not None:
        term = session.get(PaymentTerm, values["payment_term_id"])
        if term is None or term.company_id != invoice.company_id:
            raise ValidationError(gettext("Choose a payment term of this company."), "payment_term_id")
    if check_only:
        return
    invoice.date, invoice.due_date, invoice.currency_code = date, due, currency
    invoice.journal_id, invoice.journal = journal.id, journal
    invoice.payment_term_id, invoice.payment_term = (term.id, term) if term else (None, None)
    invoice.reference, invoice.narration = values["reference"], values["narration"]


def _make_lines(session: Session, invoice: Invoice, lines: list) -> list[InvoiceLine]:
    settings = company_settings(session, invoice.company_id)
    default_account = settings.income_account_id if tax_use(invoice.kind) == SALE else settings.expense_account_id
    return [_make_line(session, invoice, raw, index, default_account) for index, raw in enumerate(lines)]


def _make_line(session: Session, invoice: Invoice, raw, index: int, default_account: int | None) -> InvoiceLine:
    data = dict(raw) if isinstance(raw, Mapping) else vars(raw)
    where = f"lines-{index}-"
    unknown = sorted(set(data) - set(LineInput.__dataclass_fields__))
    if unknown:
        raise ValidationError(gettext("Unknown line fields: %(names)s", names=", ".join(unknown)), where + unknown[0])
    product = _line_product(session, invoice, data.get("product_id"), index)
    description = (data.get("description") or "").strip() or (product.name if product else "")
    if not description:
        raise ValidationError(gettext("Line %(number)s needs a description.", number=index + 1),
                              where + "description")
    description = clean_line(InvoiceLine, index, {"description": description})["description"]
    quantity = _number(data.get("quantity", 1), where + "quantity", 4)
    price = data.get("unit_price")
    if price is None or (isinstance(price, str) and not price.strip()):
        price = product.list_price if product else ZERO
    unit_price = _number(price, where + "unit_price", 6)
    discount = _number(data.get("discount", 0), where + "discount", 2)
    if quantity == 0:
        raise ValidationError(gettext("The quantity cannot be zero."), where + "quantity")
    if unit_price < 0:
        raise ValidationError(gettext("The unit price cannot be negative; use a negative quantity for a "
                                      "deduction."), where + "unit_price")
    if not ZERO <= discount <= HUNDRED:
        raise ValidationError(gettext("The discount is a percentage between 0 and 100."), where + "discount")
    use = tax_use(invoice.kind)
    if product is not None and not data.get("account_id"):
        default_account = default_account_id(session, product, use) or default_account
    account = _line_account(session, invoice, data.get("account_id") or default_account, index)
    tax_ids = data.get("tax_ids")
    if tax_ids is None and product is not None:
        tax_ids = [tax.id for tax in _product_taxes(session, product, use, where + "tax_ids")]
    taxes = [_tax(session, invoice, tax_id, where + "tax_ids") for tax_id in tax_ids or ()]
    if len({tax.id for tax in taxes}) != len(taxes):
        raise ValidationError(gettext("A tax is given twice on line %(number)s.", number=index + 1),
                              where + "tax_ids")
    return InvoiceLine(company_id=invoice.company_id, sequence=(index + 1) * 10, description=description,
                       product_id=product.id if product else None, product=product, account_id=account.id,
                       account=account, quantity=quantity, unit_price=unit_price, discount=discount,
                       taxes=sorted(taxes, key=lambda t: t.sequence),
                       origin_line_id=_origin_line(session, invoice, data.get("origin_line_id"), index))


def _origin_line(session: Session, invoice: Invoice, origin_line_id, index: int) -> int | None:
    """The line of the invoice a credit note's line ``index`` credits, checked to be one of that invoice's."""
    if origin_line_id in (None, ""):
        return None
    where = f"lines-{index}-origin_line_id"
    line = session.get(InvoiceLine, _int(origin_line_id, where))
    if line is None or invoice.origin_invoice_id is None or line.invoice_id != invoice.origin_invoice_id:
        raise ValidationError(gettext("Line %(number)s can only credit a line of the invoice this credit note "
                                      "credits.", number=index + 1), where)
    return line.id


def _product_taxes(session: Session, product: Product, use: str, where: str) -> list[Tax]:
    """The product's default taxes of ``use``, a refusal naming the line's field."""
    try:
        return default_taxes(session, product, use)
    except ValidationError as error:
        raise ValidationError(str(error), where) from None


def _line_product(session: Session, invoice: Invoice, product_id, index: int) -> Product | None:
    """The active product of the invoice's company chosen on line ``index``, if any."""
    if product_id in (None, ""):
        return None
    where = f"lines-{index}-product_id"
    product = session.get(Product, _int(product_id, where))
    if product is None or product.company_id != invoice.company_id:
        raise ValidationError(gettext("Line %(number)s needs a product of this company.", number=index + 1), where)
    if not product.active:
        raise ValidationError(gettext("Line %(number)s: product %(product)s is archived.", number=index + 1,
                                      product=product.display_name), where)
    return product


def _line_account(session: Session, invoice: Invoice, account_id, index: int) -> Account:
    """An active account of the invoice's company for line ``index``."""
    where = f"lines-{index}-account_id"
    account = session.get(Account, _int(account_id, where)) if account_id else None
    return _usable_account(invoice, account, index)


def _usable_account(invoice: Invoice, account: Account | None, index: int) -> Account:
    where = f"lines-{index}-account_id"
    if account is None or account.company_id != invoice.company_id:
        raise ValidationError(gettext("Line %(number)s needs an account of this company.", number=index + 1), where)
    if not account.active:
        raise ValidationError(gettext("Line %(number)s: account %(account)s is archived.", number=index + 1,
                                      account=account.display_name), where)
    return account


def check_draft(session: Session, invoice: Invoice) -> None:
    """Check a stored draft again before posting it: its rows may have been changed around the services
    (another company's journal, account or tax written into them)."""
    if invoice.partner.company_id != invoice.company_id:
        raise ValidationError(gettext("%(partner)s belongs to another company.", partner=invoice.partner.name),
                              "partner_id")
    _set_header(session, invoice, {name: getattr(invoice, name) for name in HEADER_FIELDS if name != "partner_id"},
                check_only=True)
    for index, line in enumerate(invoice.lines):  # accounts and taxes are loaded with the lines
        _usable_account(invoice, line.account, index)
        for tax in line.taxes:
            _tax(session, invoice, tax.id, f"lines-{index}-tax_ids")


def _tax(session: Session, invoice: Invoice, tax_id, where: str) -> Tax:
    tax = session.get(Tax, _int(tax_id, where))
    if tax is None or tax.company_id != invoice.company_id or not tax.active:
        raise ValidationError(gettext("There is no active tax %(id)s in this company.", id=tax_id), where)
    if tax.use != tax_use(invoice.kind):
        message = (gettext("%(tax)s is a purchase tax; a customer document needs sales taxes.", tax=tax.name)
                   if tax_use(invoice.kind) == SALE else
                   gettext("%(tax)s is a sales tax; a supplier document needs purchase taxes.", tax=tax.name))
        raise ValidationError(message, where)
    return tax


def _number(value, where: str, places: int) -> Decimal:
    try:
        number = Decimal(str(value).strip()) if isinstance(value, (str, float)) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError(gettext("%(value)s is not a number.", value=value), where) from None
    if not number.is_finite():
        raise ValidationError(gettext("%(value)s is not a number.", value=value), where)
    if number != round_amount(number, places):
        raise ValidationError(gettext("At most %(count)s decimals.", count=places), where)
    return number


def _int(value, where: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError(gettext("%(value)s is not a valid choice.", value=value), where) from None


def require_draft(invoice: Invoice) -> None:
    if invoice.state != DRAFT:
        raise ValidationError(gettext("Invoice %(name)s is posted: it cannot be changed or deleted; "
                                      "issue a credit note instead.", name=invoice.display_name))


# --- posting ----------------------------------------------------------------------------


def post_invoice(session: Session, invoice: Invoice) -> Invoice:
    """Post a draft: its journal entry, number, residual; then the ``invoice_posted`` hook."""
    require_poster(session)
    require_draft(invoice)
    with session.begin_nested():
        check_draft(session, invoice)
        compute_invoice(session, invoice)
        booking = book(session, invoice)
        move = create_move(session, invoice.journal, date=invoice.date, lines=booking.lines, ref=invoice.reference,
                           partner_id=invoice.partner_id, origin="invoice", narration=invoice.narration)
        post_move(session, move)
        invoice.move_id, invoice.move = move.id, move
        invoice.number = move.number
        invoice.rate = booking.rate
        with posting_invoice(session, invoice):
            invoice.state = POSTED
            invoice.residual = invoice.amount_total
            invoice.payment_state = posted_payment_state(invoice)
            invoice.due_date = booking.due_date
            session.flush()
    announce_posted(session, [invoice])
    return invoice


def posted_payment_state(invoice: Invoice) -> str:
    """A posted invoice is unpaid, unless its total is zero: nothing is due, so it is paid at once."""
    return PAID if invoice.amount_total == 0 else NOT_PAID


def announce_posted(session: Session, invoices: Iterable[Invoice]) -> None:
    """The ``invoice_posted`` hook for each invoice, then ``invoice_paid`` for those paid by being posted."""
    registry = session.info.get("registry")
    if registry is None:
        return
    for invoice in invoices:
        registry.hook.invoice_posted(session=session, invoice=invoice)
        if invoice.payment_state == PAID:
            registry.hook.invoice_paid(session=session, invoice=invoice)


def require_poster(session: Session) -> None:
    """Only an accountant posts; a billing clerk prepares drafts."""
    actor, registry = session.info.get("actor"), session.info.get("registry")
    if actor is not None and not registry.can(actor, Move, "create"):
        raise AccessDenied(gettext("Only an accountant can post invoices; %(login)s may prepare drafts.",
                                   login=actor.login))


@dataclass
class Booking:
    """What posting a computed draft books: its entry's lines, the rate used, and when it falls due."""

    lines: list[LineSpec]
    rate: Decimal
    due_date: dt.date


def book(session: Session, invoice: Invoice) -> Booking:
    """Check that a computed draft can be posted, and work out its journal entry."""
    if not invoice.lines:
        raise ValidationError(gettext("An invoice without lines cannot be posted."), "lines")
    if invoice.amount_total < 0:
        raise ValidationError(gettext("The total is negative: issue a credit note instead."), "lines")
    rate = rate_at(session, invoice.company_id, invoice.currency_code, date=invoice.date)
    due = invoice_instalments(session, invoice)
    return Booking(_entry_lines(session, invoice, rate, due), rate, max(item.date for item in due))


def _entry_lines(session: Session, invoice: Invoice, rate: Decimal, due: list[Instalment]) -> list[LineSpec]:
    """The entry's lines: amounts signed (debit positive) in the invoice currency, then converted."""
    # income, expense and taxes go this way (credit on a customer invoice), receivable/payable the other
    sign = Decimal(-1) if invoice.kind in (OUT_INVOICE, IN_REFUND) else Decimal(1)
    base_sign = Decimal(-1) if invoice.is_refund else Decimal(1)
    partner_row = partner_accounts(session, invoice.partner)
    counterpart = (partner_row.receivable_account_id if invoice.is_customer else partner_row.payable_account_id)
    rows: list[tuple[Decimal, dict]] = []
    subtotals = _posted_subtotals(invoice)
    # an invoice of nothing but zeros (free goods) still books its lines, at zero, so its entry is not empty
    all_zero = invoice.amount_total == 0 and not any(subtotals)
    for line, subtotal in zip(invoice.lines, subtotals, strict=True):
        if subtotal or all_zero:
            rows.append((sign * subtotal, {"account_id": line.account_id, "name": line.description}))
    for row in invoice.taxes:
        tax = row.tax
        details = {"tax_id": tax.id, "name": tax.name, "tax_base_amount": base_sign * row.base}
        rows.append((sign * row.amount, {"account_id": tax.account_id, **details}))
        if tax.reverse_charge_account_id is not None:
            rows.append((-sign * row.amount, {"account_id": tax.reverse_charge_account_id, **details}))
    for item in due:
        if item.amount or all_zero:
            rows.append((-sign * item.amount, {"account_id": counterpart, "date_maturity": item.date,
                                               "name": invoice.reference}))
    return _convert(session, invoice, rate, rows)


def _posted_subtotals(invoice: Invoice) -> list[Decimal]:
    """The lines' subtotals as booked: under global rounding of price-included taxes the untaxed amount may
    differ from their sum by a cent or so, which the largest line takes."""
    subtotals = [line.subtotal for line in invoice.lines]
    difference = invoice.amount_untaxed - sum(subtotals, ZERO)
    if difference:
        largest = max(range(len(subtotals)), key=lambda index: abs(subtotals[index]))
        subtotals[largest] += difference
    return subtotals


def _convert(session: Session, invoice: Invoice, rate: Decimal, rows) -> list[LineSpec]:
    """Company-currency lines; the conversion's rounding difference goes on the largest line."""
    home = company_currency(session, invoice.company_id)
    places = decimals(session, home)
    foreign = invoice.currency_code != home
    balances = [round_amount(amount * rate, places) if foreign else amount for amount, _details in rows]
    difference = sum(balances, ZERO)
    if difference:
        largest = max(range(len(balances)), key=lambda index: abs(balances[index]))
        balances[largest] -= difference
    specs = []
    for balance, (amount, details) in zip(balances, rows, strict=True):
        if "tax_base_amount" in details and foreign:
            details = {**details, "tax_base_amount": round_amount(details["tax_base_amount"] * rate, places)}
        specs.append(LineSpec(debit=max(balance, ZERO), credit=max(-balance, ZERO),
                              currency_code=invoice.currency_code if foreign else None,
                              amount_currency=amount if foreign else None, partner_id=invoice.partner_id,
                              **details))
    return specs


# --- credit notes -----------------------------------------------------------------------


def create_credit_note(session: Session, invoice: Invoice, *, lines: Iterable[LineInput | Mapping] | None = None,
                       date: dt.date | None = None, reference: str | None = None,
                       narration: str | None = None) -> Invoice:
    """A draft credit note of a posted invoice or bill: all its lines, or the ``lines`` given."""
    if invoice.state != POSTED or invoice.is_refund:
        raise ValidationError(gettext("Only a posted invoice or bill can be credited."))
    if lines is None:
        lines = [LineInput(description=line.description, quantity=line.quantity, unit_price=line.unit_price,
                           discount=line.discount, tax_ids=[tax.id for tax in line.taxes],
                           account_id=line.account_id, product_id=line.product_id, origin_line_id=line.id)
                 for line in invoice.lines]
    return create_invoice(
        session, partner_id=invoice.partner_id, kind=REFUND_OF[invoice.kind], date=date or dt.date.today(),
        lines=lines, company_id=invoice.company_id, currency_code=invoice.currency_code,
        reference=reference or invoice.number, narration=narration, origin_invoice_id=invoice.id)
