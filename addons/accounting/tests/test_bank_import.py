"""Bank statements: CSV with a column mapping, CAMT.053, bad files refused whole, duplicates skipped, matching."""
import datetime as dt
import os
import threading
from decimal import Decimal as D
from pathlib import Path

import pytest
from sqlalchemy import func, select

from addons.accounting.models import Account, BankStatement, BankStatementLine, Invoice, Move, MoveLine, Payment
from addons.accounting.services.bank_import import ColumnMapping, import_camt053, import_csv, import_file
from addons.accounting.services.bank_matching import confirm_match, matching_partners, suggest
from addons.accounting.services.books import company_settings
from core.errors import ValidationError
from core.testing import TEST_URL_ENV

from tests import bombs

from .conftest import make_books
from .test_payments import invoice
from .test_reconcile import FEB, account_id, journal, usd_rates

DATA = Path(__file__).parent / "data"
SPANISH = ColumnMapping(date="Fecha", amount="Importe", label="Concepto", reference="Referencia",
                        partner_name="Ordenante", account_number="Cuenta", date_format="%d/%m/%Y",
                        decimal_separator=",", thousands_separator=".", delimiter=";")
PLAIN = ColumnMapping(date="date", amount="amount", label="label")


@pytest.fixture
def session(books):
    return books.as_user(books.accountant())


def stored(session):
    return session.scalar(select(func.count(BankStatementLine.id))), \
        session.scalar(select(func.count(BankStatement.id)))


def test_a_csv_statement_is_read_through_its_column_mapping(books, session):
    bank = journal(session, "BNK1")
    result = import_csv(session, bank, (DATA / "bank_es.csv").read_bytes(), mapping=SPANISH, filename="bank_es.csv")
    assert (result.imported, result.skipped) == (5, 0)
    statement = result.statements[0]
    assert (statement.name, statement.date, statement.journal_id) == ("bank_es.csv", dt.date(2026, 2, 20), bank.id)
    assert [(line.date, line.amount, line.label) for line in statement.lines] == [
        (dt.date(2026, 2, 15), D("121.00"), "TRANSFERENCIA RECIBIDA PAGO FACTURA"),
        (dt.date(2026, 2, 16), D("-3.50"), "COMISION MANTENIMIENTO"),
        (dt.date(2026, 2, 16), D("-1.20"), "CAFE"),
        (dt.date(2026, 2, 16), D("-1.20"), "CAFE"),  # the same coffee twice in one file is two coffees
        (dt.date(2026, 2, 20), D("-1242.00"), "RECIBO SUMINISTROS LEVANTE")]
    first = statement.lines[0]
    assert (first.reference, first.partner_name, first.account_number, first.state) == \
        ("TRF-0001", "FERRETERIA IBERICA SL", "ES9121000418450200051332", "open")


def test_re_importing_the_same_file_imports_nothing_new(books, session):
    bank = journal(session, "BNK1")
    content = (DATA / "bank_es.csv").read_bytes()
    import_csv(session, bank, content, mapping=SPANISH)
    before = stored(session)
    again = import_csv(session, bank, content, mapping=SPANISH)
    assert (again.imported, again.skipped, again.statements) == (0, 5, [])
    assert stored(session) == before
    longer = content + "21/02/2026;CAFE;;;;-1,20\n".encode()
    more = import_csv(session, bank, longer, mapping=SPANISH)
    assert (more.imported, more.skipped) == (1, 5)
    assert [line.amount for line in more.statements[0].lines] == [D("-1.20")]


def test_debit_and_credit_columns_with_a_comma_delimiter(books, session):
    content = "Date,Details,Money out,Money in\n2026-02-03,Interest,,0.45\n2026-02-04,Card fee,2.00,\n"
    mapping = ColumnMapping(date="Date", label="Details", debit="Money out", credit="Money in")
    result = import_csv(session, journal(session, "BNK1"), content, mapping=mapping)
    assert [line.amount for line in result.statements[0].lines] == [D("0.45"), D("-2.00")]


@pytest.mark.parametrize(("content", "mapping", "message"), [
    ("date,amount,label\n2026-02-01,10.00,ok\n2026-02-02,12.50,ok\n2026-02-03,abc,bad\n", PLAIN,
     "line 4, column 'amount': 'abc' is not a number"),
    ("date,amount,label\n2026-02-01,10.00,ok\n01/02/2026,5.00,bad\n", PLAIN,
     "line 3, column 'date': '01/02/2026' is not a date in the format %Y-%m-%d"),
    ("date,amount,label\n2026-02-01,,missing\n", PLAIN, "line 2, column 'amount': the amount is missing"),
    ("date,amount,label\n2026-02-01,1.234,three decimals\n", PLAIN, "has more than two decimals"),
    ("date,amount,label\n2026-02-01,0.00,nothing\n", PLAIN, "line 2, column 'amount': the amount is zero"),
    ("Fecha,Importe\n2026-02-01,10.00\n", PLAIN,
     "The mapped columns 'date' \\(date\\), 'amount' \\(amount\\), 'label' \\(label\\) are not in the file; "
     "its columns are: 'Fecha', 'Importe'"),
    ("", PLAIN, "is empty"),
    ("date,amount,label\n\n", PLAIN, "has no line to import"),
    ("date,label\n2026-02-01,x\n", ColumnMapping(date="date", label="label"), "Map a column to the amount"),
])
def test_a_bad_csv_gives_a_clear_message_and_stores_nothing(books, session, content, mapping, message):
    with pytest.raises(ValidationError, match=message):
        import_csv(session, journal(session, "BNK1"), content.encode(), mapping=mapping, filename="bad.csv")
    assert stored(session) == (0, 0)


def test_every_bad_line_is_named_at_once(books, session):
    content = "date,amount,label\n2026-02-01,x,a\n2026-02-02,10,b\n2026-13-01,y,c\n"
    with pytest.raises(ValidationError) as error:
        import_csv(session, journal(session, "BNK1"), content, mapping=PLAIN, filename="feb.csv")
    assert str(error.value).splitlines() == [
        "feb.csv was not imported, nothing was stored:",
        "line 2, column 'amount': 'x' is not a number.",
        "line 4, column 'date': '2026-13-01' is not a date in the format %Y-%m-%d.",
        "line 4, column 'amount': 'y' is not a number."]


def test_a_camt053_statement_version_02(books, session):
    bank = journal(session, "BNK1")
    result = import_camt053(session, bank, (DATA / "camt053_v02.xml").read_bytes(), filename="feb.xml")
    statement = result.statements[0]
    assert (result.imported, result.skipped) == (2, 0)  # the pending entry is not on the account yet
    assert (statement.name, statement.balance_start, statement.balance_end) == \
        ("ES-2026-02", D("1000.00"), D("1117.50"))
    received, fee = statement.lines
    assert (received.date, received.amount, received.label, received.partner_name, received.account_number,
            received.reference) == (dt.date(2026, 2, 15), D("121.00"), "PAGO FACTURA GRACIAS",
                                    "FERRETERIA IBERICA SL", "ES9121000418450200051332", None)
    assert (fee.amount, fee.label) == (D("-3.50"), "COMISION MANTENIMIENTO")
    again = import_file(session, bank, (DATA / "camt053_v02.xml").read_bytes())
    assert (again.imported, again.skipped) == (0, 2)


def test_a_camt053_statement_version_08(books, session):
    result = import_file(session, journal(session, "BNK1"), (DATA / "camt053_v08.xml").read_bytes())
    [line] = result.statements[0].lines
    assert (line.date, line.amount, line.partner_name, line.account_number, line.reference) == \
        (dt.date(2026, 3, 1), D("-1220.00"), "Forniture Lombarde S.p.A.", "IT02L1234512345123456789012",
         "FT-2026-118")


@pytest.mark.parametrize(("change", "message"), [
    (("<Amt Ccy=\"EUR\">3.50</Amt>", "<Amt Ccy=\"EUR\">3,5O</Amt>"),
     r"entry 2 \(2026021600007\): Amt '3,5O' is not a number"),
    (("<CdtDbtInd>DBIT</CdtDbtInd>", "<CdtDbtInd>DEBIT</CdtDbtInd>"), "CdtDbtInd 'DEBIT' is neither CRDT nor DBIT"),
    (("<Dt>2026-02-16</Dt>", "<Dt>16.02.2026</Dt>"), "BookgDt '16.02.2026' is not a date"),
    (("camt.053.001.02", "camt.052.001.02"), "is not a CAMT.053 bank statement"),
    (("</Document>", ""), "is not a valid XML file"),
    (("<Ccy>EUR</Ccy>", "<Ccy>USD</Ccy>"), "The statement is in USD but journal BNK1"),
])
def test_a_bad_camt053_gives_a_clear_message_and_stores_nothing(books, session, change, message):
    content = (DATA / "camt053_v02.xml").read_text().replace(*change).encode()
    with pytest.raises(ValidationError, match=message):
        import_camt053(session, journal(session, "BNK1"), content, filename="feb.xml")
    assert stored(session) == (0, 0)


def statement_line(session, label, amount, partner_name=None, reference=None):
    content = f"date,amount,label,partner,reference\n2026-02-15,{amount},{label},{partner_name or ''}," \
              f"{reference or ''}\n"
    mapping = ColumnMapping(date="date", amount="amount", label="label", partner_name="partner",
                            reference="reference")
    return import_csv(session, journal(session, "BNK1"), content, mapping=mapping).statements[0].lines[0]


@pytest.fixture
def invoices(books, session):
    """Three open invoices: two of 121.00 (different customers), one of 60.50."""
    iberica, levante = books.partner("Ferretería Ibérica S.L."), books.partner("Maderas Levante SA")
    return (invoice(session, books, iberica, "100.00"), invoice(session, books, levante, "100.00"),
            invoice(session, books, iberica, "50.00"))


def test_suggestions_rank_the_invoice_named_in_the_label_first(books, session, invoices):
    first, second, third = invoices
    line = statement_line(session, f"PAGO FRA {second.number}", "121.00", "FERRETERIA IBERICA SL")
    ranked = suggest(session, line)
    assert [(s.invoice, s.reasons) for s in ranked] == [
        (second, ["amount", "reference"]), (first, ["amount", "partner"]), (third, ["partner"])]


def test_suggestions_by_amount_and_by_partner(books, session, invoices):
    first, second, third = invoices
    by_amount = suggest(session, statement_line(session, "TRANSFERENCIA", "60.50"))
    assert [s.invoice for s in by_amount] == [third]
    by_partner = suggest(session, statement_line(session, "TRANSFERENCIA", "121.00", "FERRETERIA IBERICA, S.L."))
    assert [s.invoice for s in by_partner] == [first, second, third]
    assert suggest(session, statement_line(session, "OTRA COSA", "-121.00")) == []


def test_confirming_a_match_pays_the_invoice(books, session, invoices):
    first = invoices[0]
    line = statement_line(session, f"PAGO {first.number}", "121.00")
    move = confirm_match(session, line, suggest(session, line)[0].invoice)
    assert (line.state, line.move_id, line.partner_id) == ("matched", move.id, first.partner_id)
    assert (first.payment_state, first.residual) == ("paid", 0)
    assert [(l.account_id, l.debit, l.credit) for l in move.lines] == [
        (account_id(session, "572"), D("121.00"), 0), (account_id(session, "430"), 0, D("121.00"))]
    with pytest.raises(ValidationError, match="already matched"):
        confirm_match(session, line, first)


def test_a_bank_fee_difference_goes_to_the_chosen_account(books, session, invoices):
    second = invoices[1]
    fees = account_id(session, "626")
    line = statement_line(session, "TRANSFERENCIA MADERAS LEVANTE", "118.50")
    confirm_match(session, line, [second], counterpart_account_id=fees)
    assert second.payment_state == "paid"
    fee = session.scalars(select(MoveLine).where(MoveLine.account_id == fees)).one()
    assert fee.debit == D("2.50")


def test_a_line_without_invoice_is_booked_to_an_account(books, session):
    line = statement_line(session, "COMISION MANTENIMIENTO", "-3.50")
    move = confirm_match(session, line, counterpart_account_id=account_id(session, "626"))
    assert [(l.account_id, l.debit, l.credit) for l in move.lines] == [
        (account_id(session, "572"), 0, D("3.50")), (account_id(session, "626"), D("3.50"), 0)]
    assert (move.state, move.journal.code, line.state) == ("posted", "BNK1", "matched")


def test_a_payment_larger_than_the_invoice_is_refused_when_matching(books, session, invoices):
    line = statement_line(session, "PAGO", "200.00")
    with pytest.raises(ValidationError, match="more than the 121.00 EUR still due"):
        confirm_match(session, line, invoices[0])
    assert line.state == "open"
    assert session.get(Invoice, invoices[0].id).payment_state == "not_paid"
    assert session.scalar(select(func.count(Payment.id))) == 0


# --- review fixes: signs and decimals, currency of a match, foreign or archived accounts, accents, races ---------


@pytest.mark.parametrize(("content", "message"), [
    ("Fecha,Concepto,Cargo,Abono\n2026-02-10,Comision,-12.00,\n2026-02-11,Cobro,,100.00\n",
     "line 2, column 'Cargo': '-12.00' is negative"),
    ("Fecha,Concepto,Cargo,Abono\n2026-02-11,Cobro,,-100.00\n", "line 2, column 'Abono': '-100.00' is negative"),
])
def test_a_negative_number_in_a_debit_or_credit_column_is_refused(books, session, content, message):
    mapping = ColumnMapping(date="Fecha", label="Concepto", debit="Cargo", credit="Abono")
    with pytest.raises(ValidationError, match=message):
        import_csv(session, journal(session, "BNK1"), content, mapping=mapping)
    assert stored(session) == (0, 0)


@pytest.mark.parametrize(("change", "message"), [
    (("<Amt Ccy=\"EUR\">3.50</Amt>", "<Amt Ccy=\"EUR\">0.00</Amt>"), r"entry 2 \(2026021600007\): the amount is zero"),
    (("<Amt Ccy=\"EUR\">3.50</Amt>", "<Amt Ccy=\"EUR\">3.505</Amt>"), "'3.505' has more than two decimals"),
    (("<Amt Ccy=\"EUR\">3.50</Amt>", "<Amt Ccy=\"EUR\">-3.50</Amt>"), "'-3.50' is negative; CdtDbtInd gives the sign"),
])
def test_camt053_amounts_are_checked_like_csv(books, session, change, message):
    content = (DATA / "camt053_v02.xml").read_text()
    assert change[0] in content
    with pytest.raises(ValidationError, match=message):
        import_camt053(session, journal(session, "BNK1"), content.replace(*change).encode(), filename="feb.xml")
    assert stored(session) == (0, 0)


def test_the_partner_clue_ignores_accents(books, session):
    ceramicas = books.partner("Cerámicas Alhambra S.L.")
    bill = invoice(session, books, ceramicas, "10.00")
    line = statement_line(session, "TRANSFERENCIA", "999.00", partner_name="CERAMICAS ALHAMBRA SL")
    assert matching_partners(session, line) == {ceramicas.id}
    [suggestion] = suggest(session, line)
    assert (suggestion.invoice, suggestion.reasons) == (bill, ["partner"])


def test_a_eur_bank_line_paying_a_usd_invoice_moves_the_bank_by_the_statement_amount(books, session):
    usd_rates(books.session, books)
    books.session.commit()
    bill = invoice(session, books, books.partner("Acme Inc"), "100.00", currency="USD", taxes=())  # 110.00 EUR
    line = statement_line(session, "ACME", "105.00")  # 100 USD at the 1.05 of 15 February
    move = confirm_match(session, line, bill)
    bank_line, partner_line = move.lines
    assert (bank_line.account_id, bank_line.debit, bank_line.currency_code) == (account_id(session, "572"),
                                                                                D("105.00"), None)
    assert (partner_line.credit, partner_line.currency_code, partner_line.amount_currency) == \
        (D("105.00"), "USD", D("-100.00"))
    assert bill.payment_state == "paid"
    loss = session.scalars(select(MoveLine).where(MoveLine.account_id == account_id(session, "668"))).one()
    assert loss.debit == D("5.00")


def test_a_write_off_when_matching_follows_the_limit_but_a_fee_account_does_not(books, session, invoices):
    settings = company_settings(session, books.company.id)  # not books.settings: one session, one savepoint stack
    writeoff = settings.writeoff_account_id
    assert writeoff is not None and settings.writeoff_limit == D("1.00")
    line = statement_line(session, "TRANSFERENCIA", "118.50")
    with pytest.raises(ValidationError, match="more than the write-off limit of 1.00 EUR"):
        confirm_match(session, line, invoices[0], counterpart_account_id=writeoff)
    assert (line.state, invoices[0].payment_state) == ("open", "not_paid")
    confirm_match(session, line, invoices[0], counterpart_account_id=account_id(session, "626"))
    assert (line.state, invoices[0].payment_state) == ("matched", "paid")


def test_matching_refuses_an_archived_or_foreign_counterpart(books):
    other = books.generic()  # first: the other company's books are committed
    foreign = other.session.scalar(select(Account.id).where(Account.company_id == other.company.id,
                                                            Account.type == "expense"))
    assert foreign is not None
    session = books.as_user(books.accountant())
    bill = invoice(session, books, books.partner(), "100.00")
    fees = session.get(Account, account_id(session, "626"))
    fees.active = False
    session.flush()
    line = statement_line(session, "COMISION", "-3.50")
    with pytest.raises(ValidationError, match="archived"):
        confirm_match(session, line, counterpart_account_id=fees.id)
    with pytest.raises(ValidationError, match="archived"):
        confirm_match(session, statement_line(session, "PAGO", "118.50"), bill, counterpart_account_id=fees.id)
    with pytest.raises(ValidationError, match="not an account of this company"):
        confirm_match(session, line, counterpart_account_id=foreign)
    assert line.state == "open"
    assert session.scalar(select(func.count(Payment.id))) == 0


@pytest.mark.postgresql
@pytest.mark.skipif(not (os.environ.get(TEST_URL_ENV) or "").startswith("postgresql"),
                    reason="concurrent matching needs PostgreSQL (set BOTTEGA_TEST_DATABASE_URL)")
def test_two_people_confirming_the_same_line_at_once_book_it_once(db_copy):
    books = make_books(db_copy, "Carrera S.L.")
    journal_id, fees = books.journal("BNK1").id, books.account("626").id
    setup = db_copy.system()
    statement = BankStatement(company_id=books.company.id, journal_id=journal_id, name="s", date=FEB)
    statement.lines.append(BankStatementLine(company_id=books.company.id, journal_id=journal_id, date=FEB,
                                             amount=D("-12.00"), unique_key="fee", label="Comisión"))
    setup.add(statement)
    setup.commit()
    line_id = statement.lines[0].id
    sessions = [db_copy.system(), db_copy.system()]
    lines = [s.get(BankStatementLine, line_id) for s in sessions]  # both read it open
    start = threading.Barrier(2)
    booked, refused, errors = [], [], []

    def confirm(session, line):
        try:
            start.wait(timeout=60)
            confirm_match(session, line, counterpart_account_id=fees)
            session.commit()
            booked.append(line.move_id)
        except ValidationError as error:
            refused.append(str(error))
            session.rollback()
        except Exception as error:  # reported by the main thread
            errors.append(error)
            session.rollback()

    threads = [threading.Thread(target=confirm, args=pair) for pair in zip(sessions, lines)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert (len(booked), refused) == (1, ["This bank line is already matched."])
    with db_copy.factory() as check:
        assert check.scalar(select(func.count(Move.id)).where(Move.origin == "bank",
                                                              Move.company_id == books.company.id)) == 1


# --- files built to exhaust the server, and amounts no column holds ----------------------------------------


@pytest.mark.parametrize(("content", "message"), [
    (b"date,amount,label\n2026-02-01,10.00," + b"x" * 40_000 + b"\n",
     "big.csv, line 2: a cell may hold at most 32767 characters"),
    (b"date,amount,label\n2026-02-01,10.00," + b"x" * 200_000 + b"\n",
     "big.csv, line 2: a cell may hold at most 32767 characters"),
    (b"date,amount,label\n" + b"2026-02-01,1.00,x\n" * 100_001, "big.csv has more than 100000 lines after its header"),
    (b"date,amount,label;" + b"x" * (100 * 1024 * 1024), r"big.csv is 100.0 MB; an import file may have at most 32.0 MB"),
    (b"date,amount,label\n2026-02-01,99999999999999999999.00,huge\n",
     "line 2, column 'amount': 99999999999999999999.00 is out of range: at most 16 digits before the decimal point"),
    (b"date,amount,label\n0001-01-01,1.00,ancient\n",
     "line 2, column 'date': 0001-01-01 is out of range: a date from 1900-01-01"),
])
def test_a_csv_over_the_limits_or_with_an_amount_no_column_holds_is_refused_whole(books, session, content,
                                                                                   message):
    with pytest.raises(ValidationError, match=message):
        import_csv(session, journal(session, "BNK1"), content, mapping=PLAIN, filename="big.csv")
    assert stored(session) == (0, 0)


def test_a_delimiter_of_more_than_one_character_is_refused(books, session):
    mapping = ColumnMapping(date="date", amount="amount", delimiter=";;")
    with pytest.raises(ValidationError, match="';;' cannot separate the columns of a CSV file"):
        import_csv(session, journal(session, "BNK1"), b"date;;amount\n2026-02-01;;1.00\n", mapping=mapping,
                   filename="odd.csv")


def camt(**changes) -> bytes:
    content = (DATA / "camt053_v02.xml").read_text()
    for old, new in changes.items():
        assert old in content
        content = content.replace(old, new)
    return content.encode()


@pytest.mark.parametrize(("make", "message"), [
    (lambda: bombs.billion_laughs(b"Document", camt(**{'<?xml version="1.0" encoding="UTF-8"?>': ""}).replace(
        b"<Id>ES-2026-02</Id>", b"<Id>LAUGHS</Id>")),
     r"feb.xml declares a document type \(<!DOCTYPE>\), which a bank statement never has; it is not read"),
    (lambda: camt(**{'<Amt Ccy="EUR">3.50</Amt>': '<Amt Ccy="EUR">123456789012345678.00</Amt>'}),
     r"entry 2 \(2026021600007\): Amt 123456789012345678.00 is out of range"),
    (lambda: camt(**{"<Dt>2026-02-16</Dt>": "<Dt>9999-02-16</Dt>"}),
     r"entry 2 \(2026021600007\): BookgDt 9999-02-16 is out of range"),
    (lambda: camt(**{"<Stmt>": "<Stmt>" + "<x>" * 10_000, "<Id>ES-2026-02</Id>": "<Id>ES-2026-02</Id>"
                     + "</x>" * 10_000}), "feb.xml is not a valid XML file: .*[Ee]xcessive depth"),
])
def test_a_camt053_built_to_exhaust_the_server_or_with_a_huge_amount_is_refused(books, session, make, message):
    with pytest.raises(ValidationError, match=message):
        import_camt053(session, journal(session, "BNK1"), make(), filename="feb.xml")
    assert stored(session) == (0, 0)
