"""Reports written to CSV, XLSX and PDF hold the same figures as the report itself."""
from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from addons.accounting.reports import aged_receivables, general_ledger, trial_balance
from addons.accounting.reports.exports import MIMETYPES, export, to_pdf
from addons.accounting.services.ledger import LineSpec, create_move, post_move
from core.reports import DATE, MONEY, PERCENT, TEXT, Column, Report, to_csv, to_xlsx

D = Decimal
Y = dt.date.today().year
SALE, VAT, PAID = D("1234.50"), D("259.25"), D("1000.00")
HEADER_ROW = 3  # XLSX: title, filters, then the header


@pytest.fixture
def reports(books):
    customer = books.partner("=HYPERLINK(\"http://evil\")")  # a name a spreadsheet must not run
    account = lambda code: books.account(code).id  # noqa: E731
    for journal, date, lines in (
        ("INV", dt.date(Y, 2, 1), [LineSpec(account("430"), SALE + VAT, partner_id=customer.id,
                                            date_maturity=dt.date(Y, 3, 1)),
                                   LineSpec(account("700"), credit=SALE), LineSpec(account("477"), credit=VAT)]),
        ("BNK1", dt.date(Y, 3, 5), [LineSpec(account("572"), PAID),
                                    LineSpec(account("430"), credit=PAID, partner_id=customer.id)]),
    ):
        post_move(books.session, create_move(books.session, books.journal(journal), date=date, lines=lines))
    books.session.commit()
    session = books.as_user(books.accountant())
    company = books.company.id
    return {
        "trial balance": trial_balance(session, company, dt.date(Y, 1, 1), dt.date(Y, 12, 31)),
        "general ledger": general_ledger(session, company, None, dt.date(Y, 12, 31), page_size=None),
        "aged receivables": aged_receivables(session, company, dt.date(Y, 6, 30)),
    }


def expected_cells(report):
    """What every export must show: the rows, then the totals with their label first."""
    lines = [[report.value(row, column) for column in report.columns] for row in report.rows]
    for label, values in report.totals:
        cells = [values.get(column.key) for column in report.columns]
        cells[0] = str(label)
        lines.append(cells)
    return lines


@pytest.mark.parametrize("name", ["trial balance", "general ledger", "aged receivables"])
def test_csv_parses_back_to_the_same_figures(reports, name):
    report = reports[name]
    text = to_csv(report).decode("utf-8-sig")
    header, *lines = list(csv.reader(io.StringIO(text)))
    assert header == [str(column.label) for column in report.columns]
    assert len(lines) == len(report.rows) + len(report.totals)
    for cells, expected in zip(lines, expected_cells(report)):
        for column, cell, value in zip(report.columns, cells, expected):
            if column.kind == MONEY and value is not None:
                assert D(cell) == value
            elif column.kind == DATE and value is not None:
                assert dt.date.fromisoformat(cell) == value


@pytest.mark.parametrize("name", ["trial balance", "general ledger", "aged receivables"])
def test_xlsx_keeps_numbers_as_numbers(reports, name):
    report = reports[name]
    sheet = load_workbook(io.BytesIO(to_xlsx(report))).active
    assert sheet.cell(1, 1).value == str(report.title)
    rows = list(sheet.iter_rows(min_row=HEADER_ROW))
    assert [cell.value for cell in rows[0]] == [str(column.label) for column in report.columns]
    assert len(rows) - 1 == len(report.rows) + len(report.totals)
    money_cells = 0
    for cells, expected in zip(rows[1:], expected_cells(report)):
        for column, cell, value in zip(report.columns, cells, expected):
            if column.kind == MONEY and value is not None:
                assert isinstance(cell.value, (int, float)) and D(str(cell.value)) == value
                assert cell.number_format == "#,##0.00"
                money_cells += 1
    assert money_cells > 0


def test_text_that_looks_like_a_formula_is_kept_as_text(reports):
    report = reports["aged receivables"]
    csv_name = list(csv.reader(io.StringIO(to_csv(report).decode("utf-8-sig"))))[1][0]
    xlsx_cell = load_workbook(io.BytesIO(to_xlsx(report))).active.cell(HEADER_ROW + 1, 1)
    assert csv_name == xlsx_cell.value == "'=HYPERLINK(\"http://evil\")"
    assert xlsx_cell.data_type == "s"


@pytest.mark.parametrize("name", ["trial balance", "general ledger", "aged receivables"])
def test_pdf(reports, name):
    data, mimetype, filename = export(reports[name], "pdf", locale="es")
    assert data.startswith(b"%PDF")
    assert (mimetype, filename) == ("application/pdf", f"{reports[name].slug}.pdf")


def test_any_report_shape_exports():
    """The exporter is generic over (title, columns, rows, totals): a percent, a date, an empty cell."""
    from dataclasses import dataclass

    @dataclass
    class Row:
        name: str
        day: dt.date
        amount: Decimal
        share: Decimal | None

    report = Report("Any", (Column("name", "Name", TEXT), Column("day", "Day", DATE),
                            Column("amount", "Amount", MONEY), Column("share", "Share", PERCENT)),
                    [Row("a", dt.date(Y, 1, 2), D("-1.50"), D("12.34")), Row("b", dt.date(Y, 1, 3), -D("0.00"), None)],
                    [("Total", {"amount": D("-1.50")})])
    sheet = load_workbook(io.BytesIO(to_xlsx(report))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=HEADER_ROW + 1)]
    assert values[0][1].date() == dt.date(Y, 1, 2) and values[0][2] == -1.5 and values[0][3] == 12.34
    assert values[1][3] is None and values[2][:3] == ["Total", None, -1.5]
    assert list(csv.reader(io.StringIO(to_csv(report).decode("utf-8-sig"))))[1:3] == [
        ["a", f"{Y}-01-02", "-1.50", "12.34"], ["b", f"{Y}-01-03", "0.00", ""]]  # a negated zero is no "-0.00"
    assert to_pdf(Report("Empty", report.columns, [])).startswith(b"%PDF")
    with pytest.raises(ValueError):
        export(report, "ods")
    assert set(MIMETYPES) == {"csv", "xlsx", "pdf"}
