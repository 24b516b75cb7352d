"""Invoices, bills and credit notes: drafts, posting into balanced entries, currencies, permissions, immutability."""
import datetime as dt
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select, update

from addons.accounting.models import Account, CurrencyRate, Invoice, InvoiceLine, Move, MoveLine, PaymentTerm, Tax
from addons.accounting.services.invoices import (
    LineInput,
    create_credit_note,
    create_invoice,
    post_invoice,
    update_invoice,
)
from core import hookimpl
from core.errors import AccessDenied, ValidationError

YEAR = dt.date.today().year
DAY = dt.date(YEAR, 3, 15)


def lines_of(session, move):
    """(account code, debit, credit) of a move's lines, sorted."""
    return sorted((line.account.code, line.debit, line.credit) for line in
                  session.scalars(select(MoveLine).where(MoveLine.move_id == move.id)))


def counts(session):
    return (session.scalar(select(func.count(Move.id))), session.scalar(select(func.count(MoveLine.id))))


def term(session, books, name):
    return session.scalars(select(PaymentTerm).where(PaymentTerm.company_id == books.company.id,
                                                     PaymentTerm.name == name)).one()


@pytest.fixture
def accountant(books):
    return books.as_user(books.accountant())


class Recorder:
    """A real plugin listening to ``invoice_posted``."""

    def __init__(self):
        self.posted = []

    @hookimpl
    def invoice_posted(self, session, invoice):
        self.posted.append(invoice.number)


def test_posting_a_customer_invoice_books_a_balanced_entry(books, accountant, db):
    partner = books.partner("Ferretería Ibérica", vat="ESB12345678")
    iva21, irpf, iva10 = books.tax("S_IVA21"), books.tax("S_IRPF15"), books.tax("S_IVA10")
    libros = books.product("LIB-1")
    invoice = create_invoice(accountant, partner_id=partner.id, date=DAY,
                             payment_term_id=term(accountant, books, "30/60/90 días").id, lines=[
                                 LineInput("Consultoría", quantity=D("10"), unit_price=D("80"),
                                           tax_ids=[iva21.id, irpf.id]),
                                 {"description": "Libros", "quantity": "2", "unit_price": "25.50",
                                  "discount": "10", "tax_ids": [iva10.id], "product_id": libros.id}])
    assert (invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total) == (
        D("845.90"), D("52.59"), D("898.49"))  # 800 + 45.90; 168 - 120 + 4.59
    assert invoice.state == "draft" and invoice.number is None
    recorder = Recorder()
    db.registry.pm.register(recorder, name="test-invoice-recorder")
    try:
        post_invoice(accountant, invoice)
    finally:
        db.registry.pm.unregister(name="test-invoice-recorder")
    assert invoice.state == "posted" and invoice.number == invoice.move.number == f"INV/{YEAR}/00001"
    assert recorder.posted == [invoice.number]
    assert (invoice.residual, invoice.payment_state) == (D("898.49"), "not_paid")
    assert lines_of(accountant, invoice.move) == [
        ("430", D("299.49"), D("0")), ("430", D("299.50"), D("0")), ("430", D("299.50"), D("0")),
        ("473", D("120.00"), D("0")), ("477", D("0"), D("4.59")), ("477", D("0"), D("168.00")),
        ("700", D("0"), D("45.90")), ("700", D("0"), D("800.00"))]
    receivable = sorted((line.date_maturity, line.partner_id) for line in invoice.move.lines
                        if line.account.code == "430")
    assert receivable == [(DAY + dt.timedelta(days=days), partner.id) for days in (30, 60, 90)]
    assert invoice.due_date == DAY + dt.timedelta(days=90)
    tax_lines = {line.tax_id: line.tax_base_amount for line in invoice.move.lines if line.tax_id}
    assert tax_lines == {iva21.id: D("800.00"), irpf.id: D("800.00"), iva10.id: D("45.90")}
    assert invoice.move.state == "posted" and all(line.posted for line in invoice.move.lines)


def test_numbers_follow_each_other_and_a_refused_post_takes_none(books, accountant):
    partner = books.partner()
    tax = books.tax("S_IVA21")

    def invoice(**values):
        return create_invoice(accountant, partner_id=partner.id, date=DAY,
                              lines=[LineInput("Servicio", unit_price=D("100"), tax_ids=[tax.id])], **values)

    first = post_invoice(accountant, invoice())
    in_dollars = invoice(currency_code="USD")
    with pytest.raises(ValidationError, match="USD"):
        post_invoice(accountant, in_dollars)
    second = post_invoice(accountant, invoice())
    assert (first.number, second.number) == (f"INV/{YEAR}/00001", f"INV/{YEAR}/00002")
    assert in_dollars.state == "draft" and in_dollars.number is None


def test_a_missing_rate_is_a_clear_error_and_nothing_is_stored(books, accountant):
    partner = books.partner()
    invoice = create_invoice(accountant, partner_id=partner.id, date=DAY, currency_code="USD",
                             lines=[LineInput("Servicio", unit_price=D("100"), tax_ids=[books.tax("S_IVA21").id])])
    accountant.commit()
    before = counts(accountant)
    with pytest.raises(ValidationError, match=f"no exchange rate for USD on or before {DAY.isoformat()}"):
        post_invoice(accountant, invoice)
    accountant.commit()
    assert counts(accountant) == before
    stored = accountant.get(Invoice, invoice.id)
    accountant.refresh(stored)
    assert (stored.state, stored.number, stored.move_id) == ("draft", None, None)


def test_foreign_currency_at_the_date_s_rate_balances_exactly(books, accountant):
    session = books.session
    for date, rate in ((dt.date(YEAR, 1, 1), "0.80000000"), (dt.date(YEAR, 3, 1), "0.91234567"),
                       (dt.date(YEAR, 4, 1), "0.95000000")):
        session.add(CurrencyRate(company_id=books.company.id, currency_code="USD", date=date, rate=D(rate)))
    session.commit()
    partner = books.partner("Acme Inc.", country_code="US")
    tax = books.tax("S_IVA21")
    invoice = create_invoice(accountant, partner_id=partner.id, date=DAY, currency_code="USD",
                             payment_term_id=term(accountant, books, "30/60/90 días").id,
                             lines=[LineInput(f"Item {n}", unit_price=D("33.33"), tax_ids=[tax.id]) for n in range(3)])
    assert invoice.amount_total == D("120.99")  # 3 x (33.33 + 7.00)
    post_invoice(accountant, invoice)
    assert invoice.rate == D("0.91234567")
    move_lines = invoice.move.lines
    assert sum(line.debit for line in move_lines) == sum(line.credit for line in move_lines)
    assert sum(line.amount_currency for line in move_lines) == 0
    assert {line.currency_code for line in move_lines} == {"USD"}
    for line in move_lines:
        exact = line.amount_currency * D("0.91234567")
        assert abs(line.balance - exact) <= D("0.02"), (line.account.code, line.balance, exact)
        assert (line.balance > 0) == (line.amount_currency > 0)
    receivable = [line for line in move_lines if line.account.code == "430"]
    assert sorted(line.amount_currency for line in receivable) == [D("40.33"), D("40.33"), D("40.33")]


def test_rounding_difference_of_conversion_goes_on_the_largest_line(books, accountant):
    books.session.add(CurrencyRate(company_id=books.company.id, currency_code="USD", date=dt.date(YEAR, 1, 1),
                                   rate=D("0.5")))
    books.session.commit()
    partner = books.partner()
    # three lines of 0.01 USD: each 0.005 EUR -> 0.01; the receivable 0.03 USD -> 0.015 -> 0.02, and the
    # entry's 0.01 difference goes on its largest line, the receivable
    invoice = create_invoice(accountant, partner_id=partner.id, date=DAY, currency_code="USD",
                             lines=[LineInput(f"Item {n}", unit_price=D("0.01")) for n in range(3)])
    post_invoice(accountant, invoice)
    assert lines_of(accountant, invoice.move) == [
        ("430", D("0.03"), D("0")), ("700", D("0"), D("0.01")), ("700", D("0"), D("0.01")),
        ("700", D("0"), D("0.01"))]


def test_supplier_bill_with_reverse_charge_and_withholding(books, accountant):
    partner = books.partner("Proveedor UE", country_code="FR")
    intra, irpf = books.tax("P_IVA21_IC"), books.tax("P_IRPF15")
    bill = create_invoice(accountant, partner_id=partner.id, kind="in_invoice", date=DAY, reference="FR-2026-77",
                          lines=[LineInput("Licencias", unit_price=D("1000"), tax_ids=[intra.id]),
                                 LineInput("Asesoría", unit_price=D("200"), tax_ids=[irpf.id])])
    assert (bill.amount_untaxed, bill.amount_tax, bill.amount_total) == (D("1200.00"), D("-30.00"), D("1170.00"))
    post_invoice(accountant, bill)
    assert bill.number == f"BILL/{YEAR}/00001"
    assert lines_of(accountant, bill.move) == [
        ("400", D("0"), D("1170.00")), ("472", D("210.00"), D("0")), ("4751", D("0"), D("30.00")),
        ("477", D("0"), D("210.00")), ("600", D("200.00"), D("0")), ("600", D("1000.00"), D("0"))]
    reverse = [line for line in bill.move.lines if line.tax_id == intra.id]
    assert [line.tax_base_amount for line in reverse] == [D("1000.00"), D("1000.00")]


def test_italian_invoice_with_ritenuta(books):
    italian = books.italian()
    session = italian.as_user(italian.accountant())
    partner = italian.partner("Studio Rossi", vat="IT01234567890")
    invoice = create_invoice(session, partner_id=partner.id, date=DAY, lines=[
        LineInput("Consulenza", unit_price=D("1000"), tax_ids=[italian.tax("S_IVA22").id, italian.tax("S_RA20").id])])
    post_invoice(session, invoice)
    assert lines_of(session, invoice.move) == [
        ("1201", D("1020.00"), D("0")), ("1302", D("200.00"), D("0")), ("2401", D("0"), D("220.00")),
        ("3101", D("0"), D("1000.00"))]


def test_global_rounding_from_the_settings(books, accountant):
    books.settings.tax_rounding = "global"
    books.session.commit()
    partner = books.partner()
    tax = books.tax("S_IVA21")
    invoice = create_invoice(accountant, partner_id=partner.id, date=DAY,
                             lines=[LineInput(f"Item {n}", unit_price=D("0.50"), tax_ids=[tax.id]) for n in range(3)])
    assert (invoice.amount_tax, invoice.amount_total) == (D("0.32"), D("1.82"))
    assert [(row.base, row.amount) for row in invoice.taxes] == [(D("1.50"), D("0.32"))]


def test_the_0_0035_unit_price_with_10_percent_tax(books, accountant):
    partner = books.partner()
    tax = books.tax("S_IVA10")
    hundred = create_invoice(accountant, partner_id=partner.id, date=DAY,
                             lines=[LineInput("Tornillo", quantity=D("100"), unit_price=D("0.0035"),
                                              tax_ids=[tax.id])])
    assert (hundred.amount_untaxed, hundred.amount_tax, hundred.amount_total) == (D("0.35"), D("0.04"), D("0.39"))
    assert hundred.lines[0].unit_price == D("0.0035")
    post_invoice(accountant, hundred)
    assert lines_of(accountant, hundred.move) == [
        ("430", D("0.39"), D("0")), ("477", D("0"), D("0.04")), ("700", D("0"), D("0.35"))]
    one = create_invoice(accountant, partner_id=partner.id, date=DAY,
                         lines=[LineInput("Tornillo", unit_price=D("0.0035"), tax_ids=[tax.id])])
    assert one.amount_total == D("0.00")
    post_invoice(accountant, one)  # rounded to nothing: its lines are booked at zero, and nothing is due
    assert (one.state, one.payment_state, one.residual) == ("posted", "paid", D("0"))
    assert lines_of(accountant, one.move) == [("430", D("0"), D("0")), ("477", D("0"), D("0")),
                                              ("700", D("0"), D("0"))]
    with pytest.raises(ValidationError, match="At most 6 decimals") as error:
        create_invoice(accountant, partner_id=partner.id, date=DAY,
                       lines=[LineInput("Tornillo", unit_price=D("0.0000035"), tax_ids=[tax.id])])
    assert error.value.field == "lines-0-unit_price"


def test_credit_note_mirrors_the_invoice(books, accountant):
    partner = books.partner()
    tax = books.tax("S_IVA21")
    invoice = post_invoice(accountant, create_invoice(
        accountant, partner_id=partner.id, date=DAY,
        payment_term_id=term(accountant, books, "30 días").id,
        lines=[LineInput("Servicio", quantity=D("2"), unit_price=D("150"), tax_ids=[tax.id])]))
    with pytest.raises(ValidationError, match="credited"):
        create_credit_note(accountant, create_invoice(accountant, partner_id=partner.id, date=DAY,
                                                      lines=[LineInput("x", unit_price=D(1))]))
    credit = create_credit_note(accountant, invoice, date=DAY)
    assert (credit.kind, credit.state, credit.origin_invoice_id, credit.reference) == (
        "out_refund", "draft", invoice.id, invoice.number)
    assert credit.amount_total == invoice.amount_total == D("363.00")
    assert credit.payment_term_id is None
    post_invoice(accountant, credit)
    assert credit.number == f"INV/{YEAR}/00002"
    assert lines_of(accountant, credit.move) == [
        ("430", D("0"), D("363.00")), ("477", D("63.00"), D("0")), ("700", D("300.00"), D("0"))]
    assert [line.tax_base_amount for line in credit.move.lines if line.tax_id] == [D("-300.00")]
    partial = create_credit_note(accountant, invoice, lines=[LineInput("Descuento", unit_price=D("10"),
                                                                       tax_ids=[tax.id])])
    assert partial.amount_total == D("12.10")


def test_billing_user_drafts_but_cannot_post(books):
    billing = books.as_user(books.billing())
    partner = books.partner()
    invoice = create_invoice(billing, partner_id=partner.id, date=DAY,
                             lines=[LineInput("Servicio", unit_price=D("100"), tax_ids=[books.tax("S_IVA21").id])])
    billing.commit()
    update_invoice(billing, invoice, reference="PO-1", lines=[LineInput("Servicio", unit_price=D("120"))])
    assert invoice.amount_total == D("120.00")
    billing.commit()
    before = counts(books.session)
    with pytest.raises(AccessDenied, match="Only an accountant"):
        post_invoice(billing, invoice)
    # even around the service, the access rules (or the ledger guards, first) refuse the posted state
    invoice.state = "posted"
    with pytest.raises((AccessDenied, ValidationError)):
        billing.flush()
    billing.rollback()
    assert counts(books.session) == before
    assert books.session.scalar(select(Invoice.state).where(Invoice.id == invoice.id)) == "draft"


def test_a_posted_invoice_refuses_changes_through_the_service_and_the_orm(books, accountant):
    partner = books.partner()
    invoice = post_invoice(accountant, create_invoice(
        accountant, partner_id=partner.id, date=DAY, lines=[LineInput("Servicio", unit_price=D("100"))]))
    accountant.commit()
    with pytest.raises(ValidationError, match="is posted"):
        update_invoice(accountant, invoice, reference="changed")
    with pytest.raises(ValidationError, match="is posted"):
        update_invoice(accountant, invoice, lines=[LineInput("Otra cosa", unit_price=D("1"))])
    with pytest.raises(ValidationError, match="already posted|is posted"):
        post_invoice(accountant, invoice)
    system = books.session
    stored = system.get(Invoice, invoice.id)
    stored.amount_total = D("1.00")
    with pytest.raises(ValidationError, match="is posted"):
        system.flush()
    system.rollback()
    line = system.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id)).one()
    line.unit_price = D("1")
    with pytest.raises(ValidationError, match="posted invoice"):
        system.flush()
    system.rollback()
    system.delete(system.get(Invoice, invoice.id))
    with pytest.raises(ValidationError):
        system.flush()
    system.rollback()
    assert system.get(Invoice, invoice.id).amount_total == D("100.00")


@pytest.mark.parametrize("values, field, message", [
    ({"partner_id": None}, "partner_id", "needs a partner"),
    ({"lines": [LineInput("")]}, "lines-0-description", "needs a description"),
    ({"lines": [LineInput("x", quantity="abc")]}, "lines-0-quantity", "not a number"),
    ({"lines": [LineInput("x", quantity="0")]}, "lines-0-quantity", "cannot be zero"),
    ({"lines": [LineInput("x", unit_price="-1")]}, "lines-0-unit_price", "cannot be negative"),
    ({"lines": [LineInput("x", discount="120")]}, "lines-0-discount", "between 0 and 100"),
    ({"lines": [{"description": "x", "colour": "red"}]}, "lines-0-colour", "Unknown line fields"),
    ({"currency_code": "XXX"}, "currency_code", "Unknown currency"),
    ({"currency_code": "KWD"}, "currency_code", "more than two decimals"),
    ({"kind": "quote"}, "kind", "Unknown kind"),
])
def test_bad_input_is_refused_with_its_field_and_nothing_is_stored(books, accountant, values, field, message):
    partner = books.partner()
    before = accountant.scalar(select(func.count(Invoice.id)))
    arguments = {"partner_id": partner.id, "date": DAY, "lines": [LineInput("ok", unit_price=D("1"))], **values}
    with pytest.raises(ValidationError, match=message) as error:
        create_invoice(accountant, **arguments)
    assert error.value.field == field
    assert accountant.scalar(select(func.count(Invoice.id))) == before


def test_taxes_must_match_the_document(books, accountant):
    partner = books.partner()
    with pytest.raises(ValidationError, match="purchase tax") as error:
        create_invoice(accountant, partner_id=partner.id, date=DAY,
                       lines=[LineInput("x", unit_price=D("1"), tax_ids=[books.tax("P_IVA21").id])])
    assert error.value.field == "lines-0-tax_ids"
    with pytest.raises(ValidationError, match="sales tax"):
        create_invoice(accountant, partner_id=partner.id, kind="in_invoice", date=DAY,
                       lines=[LineInput("x", unit_price=D("1"), tax_ids=[books.tax("S_IVA21").id])])
    other = books.italian()
    with pytest.raises(ValidationError, match="no active tax"):
        create_invoice(accountant, partner_id=partner.id, date=DAY,
                       lines=[LineInput("x", unit_price=D("1"), tax_ids=[other.tax("S_IVA22").id])])


def test_empty_or_negative_invoices_are_not_posted(books, accountant):
    partner = books.partner()
    empty = create_invoice(accountant, partner_id=partner.id, date=DAY)
    with pytest.raises(ValidationError, match="without lines"):
        post_invoice(accountant, empty)
    negative = create_invoice(accountant, partner_id=partner.id, date=DAY,
                              lines=[LineInput("Devolución", quantity=D("-1"), unit_price=D("10"))])
    with pytest.raises(ValidationError, match="credit note"):
        post_invoice(accountant, negative)


def test_locked_or_missing_years_refuse_posting_and_leave_nothing(books, accountant):
    partner = books.partner()
    tax = books.tax("S_IVA21")

    def invoice(date):
        return create_invoice(accountant, partner_id=partner.id, date=date,
                              lines=[LineInput("Servicio", unit_price=D("100"), tax_ids=[tax.id])])

    books.settings.lock_date = dt.date(YEAR, 3, 31)
    books.session.commit()
    locked, next_year = invoice(DAY), invoice(dt.date(YEAR + 1, 1, 10))
    accountant.commit()
    before = counts(accountant)
    with pytest.raises(ValidationError, match="locked"):
        post_invoice(accountant, locked)
    with pytest.raises(ValidationError, match="No fiscal year covers"):
        post_invoice(accountant, next_year)
    accountant.commit()
    assert counts(accountant) == before
    assert [accountant.scalar(select(Invoice.state).where(Invoice.id == i.id)) for i in (locked, next_year)] == [
        "draft", "draft"]
    assert post_invoice(accountant, invoice(dt.date(YEAR, 4, 1))).number == f"INV/{YEAR}/00001"


def test_a_billing_user_replaces_draft_lines_through_the_orm(books):
    """Removing children from a delete-orphan collection is a delete the user may do, not a refused write."""
    billing = books.as_user(books.billing())
    invoice = create_invoice(billing, partner_id=books.partner().id, date=DAY,
                             lines=[LineInput("Old", unit_price=D("10"))])
    billing.commit()
    old_line_id = invoice.lines[0].id
    invoice.lines = [InvoiceLine(company_id=books.company.id, description="New", account_id=invoice.lines[0].account_id,
                                 quantity=D("1"), unit_price=D("20"))]
    billing.flush()
    assert billing.get(InvoiceLine, old_line_id) is None
    assert [line.description for line in invoice.lines] == ["New"]


def test_global_rounding_with_prices_including_tax_books_the_printed_total(books, accountant):
    books.settings.tax_rounding = "global"
    sales = books.tax("S_IVA21")
    included = Tax(company_id=books.company.id, code="S_IVA21_INC", name="IVA 21% incluido", use=sales.use,
                   percent=D("21"), price_include=True, account_id=sales.account_id)
    books.session.add(included)
    books.session.commit()
    partner = books.partner()
    invoice = create_invoice(accountant, partner_id=partner.id, date=DAY, lines=[
        LineInput(f"Item {n}", unit_price=D("1.00"), tax_ids=[included.id]) for n in range(3)])
    assert (invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total) == (D("2.48"), D("0.52"), D("3.00"))
    post_invoice(accountant, invoice)
    booked = lines_of(accountant, invoice.move)
    receivable = [(debit, credit) for code, debit, credit in booked if code == "430"]
    assert receivable == [(D("3.00"), 0)]
    assert sum(credit for code, _debit, credit in booked if code.startswith("7")) == D("2.48")
    assert sum(credit for _code, _debit, credit in booked) == D("3.00")


def test_posting_checks_the_stored_draft_again(books, accountant):
    """Drafts changed after the service checked them (an account archived since, a purchase tax written into
    a customer invoice's line through the ORM) are refused when posted, and nothing is booked."""
    partner = books.partner()
    invoice = create_invoice(accountant, partner_id=partner.id, date=DAY,
                             lines=[LineInput("Servicio", unit_price=D("100"), tax_ids=[books.tax("S_IVA21").id])])
    accountant.commit()
    before = counts(accountant)
    account = accountant.get(Account, invoice.lines[0].account_id)
    account.active = False
    accountant.flush()
    with pytest.raises(ValidationError, match="Line 1: account .* is archived") as error:
        post_invoice(accountant, invoice)
    assert error.value.field == "lines-0-account_id"
    account.active = True
    invoice.lines[0].taxes = [accountant.get(Tax, books.tax("P_IVA21").id)]
    accountant.flush()
    with pytest.raises(ValidationError, match="purchase tax"):
        post_invoice(accountant, invoice)
    assert (invoice.state, counts(accountant)) == ("draft", before)


def test_a_draft_pointing_at_another_company_s_account_is_not_posted(books):
    """Written around the services and the flush guards (straight into the table), and still refused."""
    other = books.generic()  # first: the other company's books are committed
    foreign = other.session.scalar(select(Account.id).where(Account.company_id == other.company.id,
                                                            Account.type == "income"))
    system = books.session
    invoice = create_invoice(system, partner_id=books.partner().id, date=DAY,
                             lines=[LineInput("Servicio", unit_price=D("100"))])
    system.connection().execute(update(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id)
                                .values(account_id=foreign))
    system.commit()
    accountant = books.as_user(books.accountant())
    with pytest.raises(ValidationError, match="Line 1 needs an account of this company"):
        post_invoice(accountant, accountant.get(Invoice, invoice.id))
    assert accountant.scalar(select(Invoice.state).where(Invoice.id == invoice.id)) == "draft"


# --- products on lines ------------------------------------------------------------------


def test_a_product_fills_the_line_description_and_price_unless_given(books, accountant):
    labels = books.product("ETIQ", "Etiqueta adhesiva", "0.0035")
    hours = books.product("CONS-H", "Consultoría (hora)", "60")
    invoice = create_invoice(accountant, partner_id=books.partner().id, date=DAY, lines=[
        LineInput(product_id=labels.id, quantity=D("10000")),
        {"product_id": str(hours.id), "description": "Puesta en marcha", "unit_price": "45", "quantity": "2"}])
    assert [(line.product.code, line.description, line.unit_price, line.subtotal) for line in invoice.lines] == [
        ("ETIQ", "Etiqueta adhesiva", D("0.0035"), D("35.00")),
        ("CONS-H", "Puesta en marcha", D("45"), D("90.00"))]


@pytest.mark.parametrize("which, message", [
    ("foreign", "Line 2 needs a product of this company."),
    ("archived", "Line 2: product \\[OLD\\] Viejo is archived."),
])
def test_a_product_of_another_company_or_archived_is_refused_on_its_line(books, accountant, which, message):
    if which == "foreign":
        product = books.italian().product("IT-1", "Prodotto")
    else:
        product = books.product("OLD", "Viejo", "5", active=False)
    partner = books.partner()
    with pytest.raises(ValidationError, match=message) as error:
        create_invoice(accountant, partner_id=partner.id, date=DAY, lines=[
            LineInput("Bien", unit_price=D("1")), LineInput(product_id=product.id)])
    assert error.value.field == "lines-1-product_id"
    accountant.rollback()
    assert books.session.scalar(select(func.count(Invoice.id)).where(Invoice.partner_id == partner.id)) == 0
