"""The flush guards and database triggers: posting only through the services, lines flagged as their entry,
one company per record, posted invoices and payments frozen, lock date and closed years, reconciliations."""
import datetime as dt
import os
from decimal import Decimal as D

import pytest
from sqlalchemy import exc, select, text

from addons.accounting.models import (Account, Invoice, InvoiceLine, InvoiceTax, Journal, MoveLine, Payment,
                                      Reconciliation, Settings)
from addons.accounting.services.invoices import LineInput, create_invoice, post_invoice
from addons.accounting.services.ledger import LineSpec, create_move, post_move
from addons.accounting.services.payments import cancel_payment, register_payment
from addons.accounting.services.years import set_lock_date
from addons.contacts.models import Partner
from core.errors import AccessDenied, ValidationError
from core.testing import TEST_URL_ENV

from .conftest import ledger_problems
from .test_payments import bank, invoice, state
from .test_reconcile import FEB, JAN

YEAR = dt.date.today().year
DAY = dt.date(YEAR, 2, 10)
ON_POSTGRESQL = (os.environ.get(TEST_URL_ENV) or "").startswith("postgresql")
WHO = ["system", "accountant"]


def session_of(books, who):
    return books.session if who == "system" else books.as_user(books.accountant())


def entry(session, books, amount="100.00", post=True, journal="MISC", date=DAY):
    move = create_move(session, session.get(Journal, books.journal(journal).id), date=date, lines=[
        LineSpec(account_id=books.account("430").id, debit=D(amount)),
        LineSpec(account_id=books.account("700").id, credit=D(amount))])
    session.flush()
    return post_move(session, move) if post else move


# --- entries: posting only through post_move, lines flagged as their entry ---------------------------------


@pytest.mark.parametrize("who", WHO)
def test_a_draft_line_cannot_be_moved_into_a_posted_entry(books, who):
    session = session_of(books, who)
    posted, draft = entry(session, books), entry(session, books, "5.00", post=False)
    session.commit()
    draft.lines[0].move_id = posted.id  # the foreign key only: the posted entry itself is not touched
    with pytest.raises(ValidationError, match="moved into or out of a posted journal entry"):
        session.flush()
    session.rollback()
    assert ledger_problems(session.connection()) == {}


@pytest.mark.parametrize("who", WHO)
def test_a_line_is_posted_exactly_when_its_entry_is(books, who):
    session = session_of(books, who)
    draft = create_move(session, books.journal("MISC"), date=DAY, lines=[LineSpec(account_id=books.account("430").id,
                                                                         debit=D("77.00"))])
    session.flush()
    draft.lines[0].posted = True  # an unbalanced draft counted by every report
    with pytest.raises(ValidationError, match="posted exactly when its journal entry is"):
        session.flush()
    session.rollback()
    draft = entry(session, books, post=False)
    draft.lines.append(MoveLine(company_id=books.company.id, account_id=books.account("700").id,
                                debit=D(0), credit=D(0), date=DAY, journal_id=draft.journal_id, posted=True))
    with pytest.raises(ValidationError, match="posted exactly when its journal entry is"):
        session.flush()


@pytest.mark.parametrize("statement", [
    "UPDATE accounting_move_line SET move_id = :posted WHERE move_id = :draft",
    "UPDATE accounting_move_line SET move_id = :draft WHERE move_id = :posted",
    "UPDATE accounting_move_line SET posted = true WHERE move_id = :draft",
    "INSERT INTO accounting_move_line (move_id, account_id, debit, credit, date, journal_id, posted, company_id) "
    "SELECT move_id, account_id, 0, 0, date, journal_id, true, company_id FROM accounting_move_line "
    "WHERE move_id = :draft LIMIT 1",
])
def test_the_database_keeps_lines_in_and_out_of_posted_entries(books, statement):
    posted, draft = entry(books.session, books), entry(books.session, books, "5.00", post=False)
    books.session.commit()
    with pytest.raises(exc.IntegrityError, match="accounting: .*(posted journal entry|posted exactly)"):
        books.session.connection().execute(text(statement), {"posted": posted.id, "draft": draft.id})
    books.session.rollback()
    assert ledger_problems(books.session.connection()) == {}


def test_the_database_freezes_the_lines_of_an_entry_posted_by_raw_sql(books):
    draft = entry(books.session, books, post=False)
    books.session.commit()
    connection = books.session.connection()
    connection.execute(text("UPDATE accounting_move SET state = 'posted', number = 'X/1', sequence_number = 1, "
                            "fiscal_year_id = (SELECT id FROM accounting_fiscal_year WHERE company_id = :company "
                            "LIMIT 1) WHERE id = :id"), {"id": draft.id, "company": books.company.id})
    with pytest.raises(exc.IntegrityError, match="posted journal entry cannot be changed"):
        connection.execute(text("UPDATE accounting_move_line SET debit = 999 WHERE move_id = :id AND debit > 0"),
                           {"id": draft.id})


@pytest.mark.postgresql
@pytest.mark.skipif(not ON_POSTGRESQL, reason="deferred constraint triggers are PostgreSQL's")
def test_postgresql_rechecks_touched_entries_at_commit(books):
    draft = entry(books.session, books, post=False)
    books.session.commit()
    connection = books.session.connection()
    connection.execute(text("UPDATE accounting_move SET state = 'posted', number = 'X/1', sequence_number = 1, "
                            "fiscal_year_id = (SELECT id FROM accounting_fiscal_year WHERE company_id = :company "
                            "LIMIT 1) WHERE id = :id"), {"id": draft.id, "company": books.company.id})
    with pytest.raises(exc.IntegrityError, match="posted exactly when its journal entry is"):
        connection.execute(text("SET CONSTRAINTS ALL IMMEDIATE"))  # what COMMIT runs: lines still flagged draft


def test_the_triggers_exist_at_the_latest_revision(books):
    """A later ``batch_alter_table`` rebuild of these tables would drop them silently: this catches it."""
    connection = books.session.connection()
    if connection.dialect.name == "postgresql":
        found = set(connection.execute(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgrelid IN "
                                            "('accounting_move'::regclass, 'accounting_move_line'::regclass)"))
                    .scalars())
        expected = {"accounting_move_guard", "accounting_move_line_guard", "accounting_move_check",
                    "accounting_move_line_check"}
    else:
        found = set(connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars())
        expected = {"accounting_move_line_update_posted", "accounting_move_line_update_flag",
                    "accounting_move_line_delete_posted", "accounting_move_line_insert_posted",
                    "accounting_move_line_insert_flag", "accounting_move_update_posted",
                    "accounting_move_delete_posted", "accounting_move_post_unbalanced"}
    assert expected <= found


# --- one company per record ---------------------------------------------------------------------------------


def foreign_account(books, kind="income"):
    other = books.generic()
    return other.session.scalars(select(Account).where(Account.company_id == other.company.id,
                                                       Account.type == kind)).first()


@pytest.mark.parametrize("who", WHO)
def test_an_entry_cannot_use_an_account_of_another_company(books, who):
    foreign = foreign_account(books).id
    session = session_of(books, who)
    move = create_move(session, books.journal("MISC"), date=DAY, lines=[
        LineSpec(account_id=books.account("430").id, debit=D("10.00")), LineSpec(account_id=foreign,
                                                                                 credit=D("10.00"))])
    with pytest.raises(ValidationError, match="MoveLine: account_id refers to a record of another company"):
        post_move(session, move)


def test_a_line_cannot_be_given_an_account_of_another_company_through_the_relationship(books):
    foreign = foreign_account(books, "receivable")
    draft = entry(books.session, books, post=False)
    books.session.commit()
    draft.lines[0].account = books.session.get(Account, foreign.id)  # account_id is only set by the flush
    with pytest.raises(ValidationError, match="MoveLine: account refers to a record of another company"):
        books.session.flush()


def test_a_billing_user_cannot_attach_a_line_to_another_company_s_invoice(books):
    other = books.generic()
    theirs = create_invoice(other.session, partner_id=other.partner().id, date=DAY,
                            lines=[LineInput("B service", unit_price=D("10"))])
    other.session.commit()
    billing = books.as_user(books.billing())
    billing.add(InvoiceLine(company_id=books.company.id, invoice_id=theirs.id, description="from A",
                            account_id=books.account("700").id, quantity=D(1), unit_price=D("5000")))
    with pytest.raises((AccessDenied, ValidationError)):
        billing.flush()


def test_a_draft_invoice_line_cannot_take_an_account_of_another_company(books):
    foreign = foreign_account(books).id
    billing = books.as_user(books.billing())
    draft = create_invoice(billing, partner_id=books.partner().id, date=DAY,
                           lines=[LineInput("Servicio", unit_price=D("100"))])
    billing.commit()
    draft.lines[0].account_id = foreign
    with pytest.raises(ValidationError, match="InvoiceLine: account_id refers to a record of another company"):
        billing.flush()


# --- invoices and payments -----------------------------------------------------------------------------------


@pytest.fixture
def accountant(books):
    return books.as_user(books.accountant())


def posted_invoice(session, books):
    draft = create_invoice(session, partner_id=books.partner().id, date=DAY,
                           lines=[LineInput("Servicio", unit_price=D("100"), tax_ids=[books.tax("S_IVA21").id])])
    return post_invoice(session, draft)


def test_nothing_is_added_to_a_posted_invoice(books, accountant):
    posted = posted_invoice(accountant, books)
    accountant.commit()
    posted.lines.append(InvoiceLine(company_id=books.company.id, description="Extra", quantity=D(1),
                                    account_id=posted.lines[0].account_id, unit_price=D("1000"),
                                    subtotal=D("1000"), total=D("1000")))
    with pytest.raises(ValidationError, match="lines of a posted invoice"):
        accountant.flush()
    accountant.rollback()
    accountant.add(InvoiceTax(company_id=books.company.id, invoice_id=posted.id, tax_id=books.tax("S_IVA10").id,
                              base=D("100"), amount=D("10")))
    with pytest.raises(ValidationError, match="lines of a posted invoice"):
        accountant.flush()


def test_an_invoice_is_posted_and_paid_only_through_the_services(books, accountant):
    draft = create_invoice(accountant, partner_id=books.partner().id, date=DAY,
                           lines=[LineInput("Servicio", unit_price=D("100"))])
    accountant.commit()
    draft.state, draft.number = "posted", f"INV/{YEAR}/99999"
    with pytest.raises(ValidationError, match="posted only by posting it"):
        accountant.flush()
    accountant.rollback()
    posted = post_invoice(accountant, accountant.get(Invoice, draft.id))
    accountant.commit()
    posted.residual, posted.payment_state = D(0), "paid"
    with pytest.raises(ValidationError, match="is posted: it cannot be changed"):
        accountant.flush()


def test_paying_an_invoice_of_a_locked_month_after_the_lock_date(books, accountant):
    bill = invoice(accountant, books, books.partner(), "100.00", date=JAN)
    accountant.commit()
    set_lock_date(accountant, books.company.id, date=dt.date(JAN.year, 1, 31))
    accountant.commit()
    register_payment(accountant, bill, journal=bank(accountant), date=FEB, amount=D("121.00"))
    accountant.commit()
    assert state(bill) == ("paid", 0)


def test_a_posted_payment_is_only_cancelled(books, accountant):
    payment = register_payment(accountant, invoice(accountant, books, books.partner(), "100.00"),
                               journal=bank(accountant), date=FEB, amount=D("121.00"))
    accountant.commit()
    for state_name in ("draft", "cancelled"):  # cancelled by hand skips the reversal
        payment.state = state_name
        with pytest.raises(ValidationError, match="cancel it instead"):
            accountant.flush()
        accountant.rollback()
    cancel_payment(accountant, payment)
    accountant.commit()
    assert accountant.scalar(select(Payment.state).where(Payment.id == payment.id)) == "cancelled"
    payment.state = "posted"
    with pytest.raises(ValidationError, match="cancel it instead"):
        accountant.flush()


def test_a_reconciliation_matches_two_posted_lines_of_one_account_and_partner(books):
    partner = books.partner()
    session = books.session
    sale = entry(session, books)
    payment = create_move(session, books.journal("BNK1"), date=DAY, lines=[
        LineSpec(account_id=books.account("572").id, debit=D("100.00")),
        LineSpec(account_id=books.account("430").id, credit=D("100.00"), partner_id=partner.id)])
    draft = entry(session, books, post=False)
    post_move(session, payment)
    session.commit()
    receivable = books.account("430").id
    debit = next(line for line in sale.lines if line.account_id == receivable)
    credit = next(line for line in payment.lines if line.account_id == receivable)
    draft_credit = next(line for line in draft.lines if line.credit)
    for debit_line, credit_line in ((debit, credit), (debit, draft_credit)):  # partner differs; draft; account
        session.add(Reconciliation(company_id=books.company.id, debit_line=debit_line, credit_line=credit_line,
                                   amount=D("100.00"), date=DAY))
        with pytest.raises(ValidationError, match="two posted lines of the same account and partner"):
            session.flush()
        session.rollback()


# --- lock date, accounts, partners ------------------------------------------------------------------------


def test_only_an_administrator_moves_the_lock_date_back_through_the_orm(books, accountant):
    set_lock_date(accountant, books.company.id, date=dt.date(YEAR, 3, 31))
    accountant.commit()
    settings = accountant.scalars(select(Settings)).one()
    for earlier in (dt.date(YEAR, 1, 1), None):
        settings.lock_date = earlier
        with pytest.raises(AccessDenied, match="Only an administrator may move the lock date back"):
            accountant.flush()
        accountant.rollback()
    settings.lock_date = dt.date(YEAR, 4, 30)  # forward is the accountant's call
    accountant.commit()
    admin = books.as_user(books.user(groups=["core.group_admin"]))
    admin.scalars(select(Settings)).one().lock_date = None
    admin.commit()
    assert books.session.scalar(select(Settings.lock_date).where(Settings.company_id == books.company.id)) is None


def test_an_account_with_posted_lines_keeps_its_type_and_reconcile_flag(books):
    entry(books.session, books)
    books.session.commit()
    used, unused = books.account("700"), books.account("705")
    for field, value in (("type", "expense"), ("reconcile", True)):
        setattr(used, field, value)
        with pytest.raises(ValidationError, match="Account 700 has posted entries"):
            books.session.flush()
        books.session.rollback()
    unused.reconcile = True
    books.session.commit()
    used.name = "Renamed sales"
    books.session.commit()


@pytest.mark.parametrize("who", ["system", "contacts manager"])
def test_deleting_a_partner_deletes_its_accounting_row_in_the_database(books, who):
    """The foreign key cascades: also for a user who may not touch accounting rows at all."""
    partner, kept = books.partner("Se va S.L."), books.partner("Se queda S.L.")
    user = None if who == "system" else books.user(groups=["contacts.group_manager"])
    session = books.session if user is None else books.as_user(user)
    session.delete(session.get(Partner, partner.id))
    session.commit()
    rows = books.session.connection().execute(text(
        "SELECT partner_id FROM accounting_partner WHERE partner_id IN (:gone, :kept)"),
        {"gone": partner.id, "kept": kept.id}).scalars().all()
    assert rows == [kept.id]
