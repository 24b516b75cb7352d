"""Every accounting report over a small set of posted entries whose figures are worked out here by hand.

The books (Spanish chart) get, in the current fiscal year Y:
  Jan 10  capital paid into the bank            572 Dr CAPITAL          / 100 Cr CAPITAL
  Feb  1  invoice to A, due Mar 3               430 Dr SALE_A + VAT_A   / 700 Cr SALE_A, 477 Cr VAT_A (21%)
  Mar  1  bill from S, due Mar 31               600 Dr BILL, 472 Dr VAT_BILL / 400 Cr BILL + VAT_BILL
  Mar 10  A pays part of its invoice            572 Dr PAID_A           / 430 Cr PAID_A (reconciled Mar 10)
  Apr 15  invoice to B, due May 15              430 Dr SALE_B + VAT_B   / 700 Cr SALE_B, 477 Cr VAT_B
and one draft (never posted) that no report may count, plus an entry of another company.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from addons.accounting.models import Budget, BudgetLine, Period, Reconciliation
from addons.accounting.reports import (aged_payables, aged_receivables, balance_sheet, budget_vs_actual,
                                       general_ledger, partner_ledger, profit_and_loss, tax_report, trial_balance)
from addons.accounting.services.ledger import LineSpec, create_move, post_move
from core.errors import AccessDenied, ValidationError

D = Decimal
Y = dt.date.today().year
CAPITAL = D("10000.00")
SALE_A, VAT_A = D("1000.00"), D("210.00")
SALE_B, VAT_B = D("500.00"), D("105.00")
BILL, VAT_BILL = D("800.00"), D("168.00")
PAID_A = D("1000.00")
DRAFT_AMOUNT = D("999.00")
DUE_A, DUE_S, DUE_B = dt.date(Y, 3, 3), dt.date(Y, 3, 31), dt.date(Y, 5, 15)
START, END = dt.date(Y, 1, 1), dt.date(Y, 12, 31)


def entry(books, journal, date, *specs, post=True):
    move = create_move(books.session, books.journal(journal), date=date, lines=list(specs))
    if post:
        post_move(books.session, move)
    books.session.commit()
    return move


def line(books, code, debit=D(0), credit=D(0), **values):
    return LineSpec(account_id=books.account(code).id, debit=debit, credit=credit, **values)


class Ledger:
    def __init__(self, books):
        self.books = books
        self.a, self.b, self.s = books.partner("Alfa S.A."), books.partner("Beta S.L."), books.partner("Sigma S.L.")
        iva, iva_bill = books.tax("S_IVA21"), books.tax("P_IVA21")
        entry(books, "MISC", dt.date(Y, 1, 10), line(books, "572", CAPITAL), line(books, "100", credit=CAPITAL))
        self.invoice_a = entry(
            books, "INV", dt.date(Y, 2, 1),
            line(books, "430", SALE_A + VAT_A, partner_id=self.a.id, date_maturity=DUE_A),
            line(books, "700", credit=SALE_A, partner_id=self.a.id),
            line(books, "477", credit=VAT_A, partner_id=self.a.id, tax_id=iva.id, tax_base_amount=SALE_A))
        entry(books, "BILL", dt.date(Y, 3, 1),
              line(books, "600", BILL, partner_id=self.s.id),
              line(books, "472", VAT_BILL, partner_id=self.s.id, tax_id=iva_bill.id, tax_base_amount=BILL),
              line(books, "400", credit=BILL + VAT_BILL, partner_id=self.s.id, date_maturity=DUE_S))
        payment = entry(books, "BNK1", dt.date(Y, 3, 10), line(books, "572", PAID_A),
                        line(books, "430", credit=PAID_A, partner_id=self.a.id))
        books.session.add(Reconciliation(company_id=books.company.id, debit_line_id=self.invoice_a.lines[0].id,
                                         credit_line_id=payment.lines[1].id, amount=PAID_A, date=dt.date(Y, 3, 10)))
        entry(books, "INV", dt.date(Y, 4, 15),
              line(books, "430", SALE_B + VAT_B, partner_id=self.b.id, date_maturity=DUE_B),
              line(books, "700", credit=SALE_B, partner_id=self.b.id),
              line(books, "477", credit=VAT_B, partner_id=self.b.id, tax_id=iva.id, tax_base_amount=SALE_B))
        entry(books, "MISC", dt.date(Y, 3, 20), line(books, "600", DRAFT_AMOUNT),
              line(books, "572", credit=DRAFT_AMOUNT), post=False)
        other = books.italian()
        entry(other, "MISC", dt.date(Y, 2, 1), line(other, "1102", D("777.00")),
              line(other, "2101", credit=D("777.00")))
        self.accountant = books.as_user(books.accountant())

    @property
    def company_id(self):
        return self.books.company.id


@pytest.fixture
def ledger(books):
    return Ledger(books)


def by(report, key):
    return {getattr(row, key): row for row in report.rows}


def test_trial_balance_over_a_range(ledger):
    report = trial_balance(ledger.accountant, ledger.company_id, dt.date(Y, 2, 1), END)
    rows = {code: (row.opening, row.debit, row.credit, row.closing) for code, row in by(report, "code").items()}
    assert rows == {
        "572": (CAPITAL, PAID_A, D(0), CAPITAL + PAID_A),  # the draft's credit of DRAFT_AMOUNT is left out
        "100": (-CAPITAL, D(0), D(0), -CAPITAL),
        "430": (D(0), SALE_A + VAT_A + SALE_B + VAT_B, PAID_A, SALE_A + VAT_A + SALE_B + VAT_B - PAID_A),
        "700": (D(0), D(0), SALE_A + SALE_B, -(SALE_A + SALE_B)),
        "477": (D(0), D(0), VAT_A + VAT_B, -(VAT_A + VAT_B)),
        "600": (D(0), BILL, D(0), BILL),  # not BILL + DRAFT_AMOUNT
        "472": (D(0), VAT_BILL, D(0), VAT_BILL),
        "400": (D(0), D(0), BILL + VAT_BILL, -(BILL + VAT_BILL)),
    }
    (label, totals), = report.totals
    assert totals["debit"] == totals["credit"] == SALE_A + VAT_A + SALE_B + VAT_B + PAID_A + BILL + VAT_BILL
    assert totals["opening"] == totals["closing"] == 0
    assert all(isinstance(value, Decimal) for row in rows.values() for value in row)


def test_trial_balance_without_start_counts_everything_in_the_movements(ledger):
    report = trial_balance(ledger.accountant, ledger.company_id, None, dt.date(Y, 1, 31))
    rows = {code: (row.opening, row.debit, row.credit) for code, row in by(report, "code").items()}
    assert rows == {"572": (D(0), CAPITAL, D(0)), "100": (D(0), D(0), CAPITAL)}


def test_general_ledger_running_balance_across_pages(ledger):
    first = general_ledger(ledger.accountant, ledger.company_id, dt.date(Y, 2, 1), END, page_size=4)
    # lines from Feb 1 on: invoice A (3) + bill (3) + payment (2) + invoice B (3)
    assert first.pages == 3
    lines = [row for page in (1, 2, 3) for row in general_ledger(
        ledger.accountant, ledger.company_id, dt.date(Y, 2, 1), END, page=page, page_size=4).rows]
    assert len(lines) == 11
    assert [row.account_code for row in lines] == sorted(row.account_code for row in lines)
    receivable = [(row.date, row.debit, row.credit, row.balance) for row in lines if row.account_code == "430"]
    assert receivable == [
        (dt.date(Y, 2, 1), SALE_A + VAT_A, D(0), SALE_A + VAT_A),
        (dt.date(Y, 3, 10), D(0), PAID_A, SALE_A + VAT_A - PAID_A),
        (dt.date(Y, 4, 15), SALE_B + VAT_B, D(0), SALE_A + VAT_A - PAID_A + SALE_B + VAT_B),
    ]
    bank, = [row for row in lines if row.account_code == "572"]
    assert bank.balance == CAPITAL + PAID_A  # the opening (capital, Jan 10) carries into the running balance
    assert bank.move.startswith("BNK1/") and receivable[0][0] == dt.date(Y, 2, 1)
    assert {row.partner for row in lines if row.account_code == "430"} == {"Alfa S.A.", "Beta S.L."}


def test_general_ledger_for_some_accounts_and_all_at_once(ledger):
    bank = ledger.books.account("572").id
    report = general_ledger(ledger.accountant, ledger.company_id, None, END, account_ids=[bank], page_size=None)
    assert [(row.debit, row.balance) for row in report.rows] == [(CAPITAL, CAPITAL), (PAID_A, CAPITAL + PAID_A)]


def test_partner_ledger(ledger):
    report = partner_ledger(ledger.accountant, ledger.company_id, dt.date(Y, 3, 1), END)
    rows = {row.partner: (row.opening, row.debit, row.credit, row.closing) for row in report.rows}
    assert rows == {
        "Alfa S.A.": (SALE_A + VAT_A, D(0), PAID_A, SALE_A + VAT_A - PAID_A),
        "Beta S.L.": (D(0), SALE_B + VAT_B, D(0), SALE_B + VAT_B),
        "Sigma S.L.": (D(0), D(0), BILL + VAT_BILL, -(BILL + VAT_BILL)),
    }
    receivable_only = partner_ledger(ledger.accountant, ledger.company_id, None, END, kinds=("receivable",))
    assert {row.partner for row in receivable_only.rows} == {"Alfa S.A.", "Beta S.L."}


def test_profit_and_loss(ledger):
    report = profit_and_loss(ledger.accountant, ledger.company_id, START, END)
    assert [(row.type, row.code, row.amount) for row in report.rows] == [
        ("income", "700", SALE_A + SALE_B), ("expense", "600", BILL)]
    assert [values["amount"] for _label, values in report.totals] == [
        SALE_A + SALE_B, BILL, SALE_A + SALE_B - BILL]
    march = profit_and_loss(ledger.accountant, ledger.company_id, dt.date(Y, 3, 1), dt.date(Y, 3, 31))
    assert [values["amount"] for _label, values in march.totals] == [D(0), BILL, -BILL]


def test_balance_sheet_places_accounts_by_type_and_sign(ledger):
    report = balance_sheet(ledger.accountant, ledger.company_id, END)
    rows = {(row.section_key, row.code): row.amount for row in report.rows}
    result = SALE_A + SALE_B - BILL
    assert rows == {
        ("assets", "430"): SALE_A + VAT_A - PAID_A + SALE_B + VAT_B,
        ("assets", "472"): VAT_BILL,  # tax with a debit balance
        ("assets", "572"): CAPITAL + PAID_A,
        ("liabilities", "400"): BILL + VAT_BILL,
        ("liabilities", "477"): VAT_A + VAT_B,  # tax with a credit balance
        ("equity", "100"): CAPITAL,
        ("equity", ""): result,
    }
    assets, liabilities, equity, both = (values["amount"] for _label, values in report.totals)
    assert assets == both == liabilities + equity
    assert [row.section_key for row in report.rows] == sorted(
        (row.section_key for row in report.rows), key=("assets", "liabilities", "equity").index)


def test_balance_sheet_puts_an_overdrawn_bank_under_liabilities(ledger):
    books = ledger.books
    overdraft = CAPITAL + PAID_A + D("50.00")
    entry(books, "MISC", dt.date(Y, 6, 1), line(books, "600", overdraft), line(books, "572", credit=overdraft))
    rows = {(row.section_key, row.code): row.amount
            for row in balance_sheet(ledger.accountant, ledger.company_id, END).rows}
    assert rows[("liabilities", "572")] == D("50.00")
    assert ("assets", "572") not in rows


@pytest.mark.parametrize("at, expected", [
    # before the payment: A's invoice whole; Feb 15 is before its due date, Mar 5 two days after
    (dt.date(Y, 2, 15), {"Alfa S.A.": {"not_due": SALE_A + VAT_A}}),
    (dt.date(Y, 3, 5), {"Alfa S.A.": {"days_1_30": SALE_A + VAT_A}}),
    # Apr 1: A paid PAID_A on Mar 10, 29 days overdue; B's invoice (Apr 15) does not exist yet
    (dt.date(Y, 4, 1), {"Alfa S.A.": {"days_1_30": SALE_A + VAT_A - PAID_A}}),
    # Jun 30: A is 119 days overdue, B 46 days
    (dt.date(Y, 6, 30), {"Alfa S.A.": {"older": SALE_A + VAT_A - PAID_A}, "Beta S.L.": {"days_31_60": SALE_B + VAT_B}}),
])
def test_aged_receivables(ledger, at, expected):
    report = aged_receivables(ledger.accountant, ledger.company_id, at)
    buckets = ("not_due", "days_1_30", "days_31_60", "days_61_90", "older")
    got = {row.partner: {key: getattr(row, key) for key in buckets if getattr(row, key)} for row in report.rows}
    assert got == expected
    for row in report.rows:
        assert row.total == sum(expected[row.partner].values())
    (_label, totals), = report.totals
    assert totals["total"] == sum(sum(amounts.values()) for amounts in expected.values())


def test_aged_receivables_buckets_by_days_overdue(ledger):
    assert (dt.date(Y, 6, 30) - DUE_A).days > 90 and 30 < (dt.date(Y, 6, 30) - DUE_B).days <= 60
    # 61-90: A on May 20 is 78 days overdue; B is not due yet
    row_a, row_b = aged_receivables(ledger.accountant, ledger.company_id, dt.date(Y, 5, 20)).rows
    assert (row_a.partner, row_a.days_61_90) == ("Alfa S.A.", SALE_A + VAT_A - PAID_A)
    assert (row_b.partner, row_b.days_1_30) == ("Beta S.L.", SALE_B + VAT_B)  # 5 days after May 15


def test_aged_payables(ledger):
    assert (dt.date(Y, 6, 30) - DUE_S).days == 91
    row, = aged_payables(ledger.accountant, ledger.company_id, dt.date(Y, 6, 30)).rows
    assert (row.partner, row.older, row.total) == ("Sigma S.L.", BILL + VAT_BILL, BILL + VAT_BILL)
    row, = aged_payables(ledger.accountant, ledger.company_id, dt.date(Y, 4, 30)).rows
    assert row.days_1_30 == BILL + VAT_BILL


def test_tax_report_per_period_and_tax(ledger):
    report = tax_report(ledger.accountant, ledger.company_id, START, END)
    assert [(row.period, row.tax_code, row.account, row.base, row.amount) for row in report.rows] == [
        (f"{Y}-02", "S_IVA21", "477", SALE_A, VAT_A),
        (f"{Y}-03", "P_IVA21", "472", BILL, VAT_BILL),
        (f"{Y}-04", "S_IVA21", "477", SALE_B, VAT_B),
    ]
    (_label, totals), = report.totals
    assert totals == {"base": SALE_A + BILL + SALE_B, "amount": VAT_A + VAT_BILL + VAT_B}


def test_budget_vs_actual(ledger):
    books = ledger.books
    periods = {period.name: period for period in books.session.scalars(
        select(Period).where(Period.company_id == books.company.id))}
    budget = Budget(company_id=books.company.id, name=f"Budget {Y}", fiscal_year_id=periods[f"{Y}-02"].fiscal_year_id)
    planned = {("700", f"{Y}-02"): D("-1200.00"), ("600", f"{Y}-03"): D("1000.00"), ("600", f"{Y}-05"): D("100.00")}
    budget.lines = [BudgetLine(company_id=books.company.id, account_id=books.account(code).id,
                               period_id=periods[period].id, amount=amount)
                    for (code, period), amount in planned.items()]
    books.session.add(budget)
    books.session.commit()
    report = budget_vs_actual(ledger.accountant, budget.id)
    actual = {("700", f"{Y}-02"): -SALE_A, ("600", f"{Y}-03"): BILL, ("600", f"{Y}-05"): D(0)}
    assert [(row.code, row.period, row.budget, row.actual, row.variance) for row in report.rows] == [
        (code, period, planned[code, period], actual[code, period], actual[code, period] - planned[code, period])
        for code, period in sorted(planned)]
    percents = {(row.code, row.period): row.percent for row in report.rows}
    assert percents == {("600", f"{Y}-03"): D("80.00"), ("600", f"{Y}-05"): D("0.00"),
                        ("700", f"{Y}-02"): D("83.33")}  # -1000 / -1200
    with pytest.raises(ValidationError):
        budget_vs_actual(ledger.accountant, budget.id + 1000)


ALL_REPORTS = [
    lambda s, c: trial_balance(s, c, START, END),
    lambda s, c: general_ledger(s, c, START, END),
    lambda s, c: partner_ledger(s, c, START, END),
    lambda s, c: profit_and_loss(s, c, START, END),
    lambda s, c: balance_sheet(s, c, END),
    lambda s, c: aged_receivables(s, c, END),
    lambda s, c: aged_payables(s, c, END),
    lambda s, c: tax_report(s, c, START, END),
]


@pytest.mark.parametrize("run", ALL_REPORTS)
def test_an_auditor_reads_every_report_and_a_billing_user_none(ledger, run):
    books = ledger.books
    expected = run(ledger.accountant, ledger.company_id)
    assert expected.rows
    assert run(books.as_user(books.auditor()), ledger.company_id).rows == expected.rows
    with pytest.raises(AccessDenied):
        run(books.as_user(books.billing()), ledger.company_id)


@pytest.mark.parametrize("run", ALL_REPORTS)
def test_other_companies_entries_are_invisible(ledger, run):
    other = ledger.books.italian()
    assert run(ledger.accountant, other.company.id).rows == []  # not this user's company


def test_each_company_sees_its_own_figures(ledger):
    books, other = ledger.books, ledger.books.italian()
    expected = trial_balance(ledger.accountant, books.company.id, START, END).rows
    theirs = trial_balance(other.as_user(other.accountant()), other.company.id, START, END)
    assert {(row.code, row.closing) for row in theirs.rows} == {("1102", D("777.00")), ("2101", D("-777.00"))}
    both = books.data.user("both", groups=["accounting.group_accountant"], companies=[books.company, other.company])
    session = books.data.as_user(both)
    ours = trial_balance(session, books.company.id, START, END)
    assert ours.rows == expected


def test_a_reversed_range_is_refused(ledger):
    with pytest.raises(ValidationError):
        trial_balance(ledger.accountant, ledger.company_id, END, START)
