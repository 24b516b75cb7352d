"""The generic import engine (core.imports): reading files, mapping columns, the report, all-or-nothing commit.

The engine is exercised with a small spec over the core's own Company model,
so nothing here depends on an addon; the contacts addon's tests cover its
partner import end to end.
"""
from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import io
import json
from decimal import Decimal

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from core.errors import AccessDenied, ValidationError
from core.imports import (
    ERROR,
    EXISTS,
    NEW,
    ImportField,
    ImportFileError,
    ImportSpec,
    UploadStore,
    analyse,
    auto_mapping,
    line_hash,
    parse_mapping_options,
    read_file,
    resolve_mapping,
    run_import,
)
from core.imports import limits
from core.imports.engine import SeenLines, _plain
from core.imports.spec import read_bool, read_date, read_decimal, read_int
from core.models import Company
from tests import bombs


class CompanyImport(ImportSpec):
    name = "companies"
    model = Company
    fields = (
        ImportField("name", "Name", required=True, key=True, synonyms=("nombre", "ragione sociale")),
        ImportField("currency_code", "Currency", synonyms=("moneda", "valuta")),
        ImportField("country_code", "Country", synonyms=("país", "paese")),
        ImportField("founded", "Founded", kind="date", synonyms=("fundada",)),
        ImportField("capital", "Capital", kind="decimal"),
    )

    def __init__(self, fail_on: str | None = None):
        self.fail_on = fail_on
        self.prepared = None

    def prepare(self, session, rows):
        self.prepared = len(rows)

    def validate(self, session, values):
        currency = (values.get("currency_code") or "EUR").upper()
        if len(currency) != 3 or not currency.isalpha():
            raise ValidationError(f"{currency} is not a currency code", "currency_code")
        return {"name": values["name"], "currency_code": currency, "country_code": values.get("country_code")}

    def find_existing(self, session, key, values):
        names = session.scalars(select(Company.name).where(func.lower(Company.name).in_(sorted(values))))
        return {name.lower(): name for name in names}

    def warnings(self, session, line, values):
        if values["currency_code"] != "EUR":
            yield "currency_code", "not in euros"

    def create(self, session, values, digest):
        if values["name"] == self.fail_on:
            raise ValidationError("the bank refused this one", "name")
        session.add(Company(**values))
        session.flush()


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def companies(session) -> list[str]:
    return session.scalars(select(Company.name).order_by(Company.id)).all()


# --- reading ---------------------------------------------------------------------------------


@pytest.mark.parametrize("data, encoding", [
    (csv_bytes("Name,Country\nÉbano S.L.,ES\n"), "utf-8"),
    (codecs.BOM_UTF8 + csv_bytes("Name,Country\nÉbano S.L.,ES\n"), "utf-8-sig"),
    (codecs.BOM_UTF16_LE + "Name,Country\nÉbano S.L.,ES\n".encode("utf-16-le"), "utf-16"),
])
def test_utf8_with_or_without_bom_and_utf16_with_bom_are_read_without_a_notice(data, encoding):
    table = read_file(data, "people.csv")
    assert (table.headers, table.rows[0].cells, table.encoding, table.notices) == (
        ["Name", "Country"], ["Ébano S.L.", "ES"], encoding, [])


def test_a_windows_1252_file_is_read_with_a_clear_notice():
    table = read_file(csv_bytes("Nombre;País\nFerretería Ibérica;España\n", "cp1252"), "clientes.csv")
    assert table.rows[0].cells == ["Ferretería Ibérica", "España"]
    assert table.encoding == "cp1252"
    [notice] = table.notices
    assert "clientes.csv is not UTF-8 text; it was read as Windows-1252" in str(notice)


def test_bytes_undefined_in_windows_1252_fall_back_to_latin_1():
    table = read_file(b"Name\nA\x81B\n", "odd.csv")
    assert table.encoding == "latin-1" and "Latin-1" in str(table.notices[0])


def test_a_wrong_explicit_encoding_names_the_line():
    data = csv_bytes("Name\nA\nB\nFerretería\n", "cp1252")
    with pytest.raises(ImportFileError, match=r"clientes.csv is not utf-8 text: line 4 has a byte it cannot decode"):
        read_file(data, "clientes.csv", encoding="utf-8")
    with pytest.raises(ImportFileError, match="Unknown encoding klingon"):
        read_file(data, "clientes.csv", encoding="klingon")


def test_binary_data_and_broken_utf8_bom_files_are_refused():
    with pytest.raises(ImportFileError, match="does not look like a text CSV file"):
        read_file(b"Name\x00\x01\x02\n", "photo.csv")
    with pytest.raises(ImportFileError, match="says it is UTF-8 text but contains bytes that are not"):
        read_file(codecs.BOM_UTF8 + b"Name\n\xe9\n", "mixed.csv")


@pytest.mark.parametrize("data, name, message", [
    (b"", "empty.csv", "empty.csv is empty: the first line must name the columns"),
    (b"\n\n", "blank.csv", "is empty"),
    (b"whatever", "old.xls", "old Excel .xls file"),
    (b"PK\x03\x04 not really a workbook", "broken.xlsx", "cannot be opened as an XLSX workbook"),
    (b"%PDF-1.4", "scan.pdf", "scan.pdf is not a CSV or XLSX file"),
])
def test_files_that_cannot_be_read_say_why(data, name, message):
    with pytest.raises(ImportFileError, match=message):
        read_file(data, name)


def test_delimiters_quotes_and_blank_lines():
    text = 'Name;Notes\n"Rossi; Bianchi";"said ""hi""\nthen left"\n\n;\nVerdi;\n'
    table = read_file(csv_bytes(text), "x.csv")
    assert [(row.line, row.cells) for row in table.rows] == [
        (2, ["Rossi; Bianchi", 'said "hi"\nthen left']), (5, ["Verdi", ""])]
    tabbed = read_file(csv_bytes("Name\tCity\nAna\tMadrid\n"), "x.tsv")
    assert tabbed.rows[0].cells == ["Ana", "Madrid"]


def test_xlsx_cells_become_text_the_way_people_typed_them():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Name", "Phone", "Founded", "Capital", None])
    sheet.append(["Rossi", 612345678, dt.datetime(2020, 5, 17), 1234.5, None])
    sheet.append([None, None, None, None, None])
    sheet.append(["Verdi", None, dt.date(2021, 1, 2), True])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_file(buffer.getvalue(), "book.xlsx")
    assert table.headers == ["Name", "Phone", "Founded", "Capital"]
    assert [(row.line, row.cells[:4]) for row in table.rows] == [
        (2, ["Rossi", "612345678", "2020-05-17", "1234.5"]), (4, ["Verdi", "", "2021-01-02", "yes"])]


# --- files built to exhaust the server ----------------------------------------------------------


def test_an_xlsx_zip_bomb_is_refused_from_its_zip_directory_before_anything_is_unpacked():
    bomb = bombs.zip_bomb(megabytes=64)
    assert len(bomb) < 1024 * 1024  # under a megabyte, 64 MB of sheet inside
    with pytest.raises(ImportFileError, match=r"bomb.xlsx is not read: its part xl/worksheets/sheet1.xml is "
                                              r"compressed more than 200 times"):
        read_file(bomb, "bomb.xlsx")


def test_an_xlsx_with_a_huge_shared_strings_table_is_refused():
    with pytest.raises(ImportFileError, match="its part xl/sharedStrings.xml is compressed more than 200 times"):
        read_file(bombs.shared_strings_bomb(megabytes=64), "strings.xlsx")


def test_an_xlsx_that_unpacks_to_more_than_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_UNPACKED_BYTES", 2 * bombs.MEGABYTE)
    lines = (bombs.row(f"Cliente {n}", f"c{n}@example.es") for n in range(60_000))  # compressed ~10 times only
    data = bombs.with_parts(bombs.workbook([["Name"]]), {bombs.SHEET: bombs.sheet(*lines)})
    with pytest.raises(ImportFileError, match=r"big.xlsx unpacks to \d+\.\d MB; an XLSX import file may unpack to "
                                              r"at most 2.0 MB"):
        read_file(data, "big.xlsx")


def test_a_sheet_claiming_a_million_rows_stops_at_the_line_limit():
    far = bombs.sized_sheet("A1:XFD1048576", last_row=1_048_576)
    assert len(far) < 10_000
    with pytest.raises(ImportFileError,
                       match="far.xlsx has more than 100000 lines after its header; split it into smaller files"):
        read_file(far, "far.xlsx")


def test_a_sheet_claiming_16384_columns_is_read_at_its_real_width():
    table = read_file(bombs.sized_sheet("A1:XFD1048576"), "sized.xlsx")
    assert table.headers == ["Name"] and [(row.line, row.cells) for row in table.rows] == [(2, ["Rossi"])]


def test_an_xlsx_sheet_with_a_billion_laughs_is_refused():
    with pytest.raises(ImportFileError, match="laughs.xlsx cannot be opened as an XLSX workbook"):
        read_file(bombs.laughing_sheet(), "laughs.xlsx")


def test_csv_files_over_the_line_cell_and_size_limits_are_refused():
    with pytest.raises(ImportFileError, match="long.csv has more than 100000 lines after its header"):
        read_file(b"Name\n" + b"x\n" * 100_001, "long.csv")
    with pytest.raises(ImportFileError, match="wide.csv, line 2: a cell may hold at most 32767 characters"):
        read_file(b"Name\n" + b"x" * 40_000 + b"\n", "wide.csv")
    with pytest.raises(ImportFileError, match="wider.csv, line 2: a cell may hold at most 32767 characters"):
        read_file(b"Name\n" + b"x" * 200_000 + b"\n", "wider.csv")  # past csv's own limit too
    with pytest.raises(ImportFileError, match=r"line.csv is 100.0 MB; an import file may have at most 32.0 MB"):
        read_file(b"Name;" + b"x" * (100 * bombs.MEGABYTE - 5), "line.csv")


def test_a_file_just_within_the_limits_is_read():
    table = read_file(b"Name\n" + b"x" * 32_767 + b"\n" + b"y\n" * 99_999, "full.csv")
    assert len(table) == 100_000 and len(table.rows[0].cells[0]) == 32_767


# --- conversions and mapping -----------------------------------------------------------------


def test_conversions_accept_european_and_english_forms():
    assert [read_bool(v) for v in ("Sí", "x", "no", "FALSO", "Vero")] == [True, True, False, False, True]
    assert read_int("1.234") == 1234 and read_int("-7") == -7
    assert [read_decimal(v) for v in ("1.234,56", "1,234.56", "12,5", "€ 3")] == [
        Decimal("1234.56"), Decimal("1234.56"), Decimal("12.5"), Decimal("3")]
    assert read_date("31/12/2024") == read_date("2024-12-31") == read_date("31.12.2024") == dt.date(2024, 12, 31)
    for reader, text, message in ((read_bool, "maybe", "is not yes or no"), (read_int, "1.5", "not a whole number"),
                                  (read_decimal, "abc", "is not a number"), (read_date, "32/01/2024", "not a date")):
        with pytest.raises(ValueError, match=message):
            reader(text)


def test_columns_are_matched_by_name_label_or_synonym_ignoring_case_and_accents():
    spec = CompanyImport()
    assert auto_mapping(spec, ["RAGIONE SOCIALE", "país", "Notes", "Currency"]) == {
        0: "name", 1: "country_code", 3: "currency_code"}
    assert auto_mapping(spec, ["Nombre", "name"]) == {0: "name"}  # the first column wins


def test_mapping_overrides_by_header_or_number_and_their_mistakes():
    spec = CompanyImport()
    headers = ["Nombre", "Divisa", "Fax"]
    mapping, issues = resolve_mapping(spec, headers, {"divisa": "currency_code", "3": "", "Nombre": "name"})
    assert (mapping, issues) == ({0: "name", 1: "currency_code"}, [])
    moved, issues = resolve_mapping(spec, headers, {"Fax": "name"})  # the override takes the field away
    assert moved == {2: "name"} and issues == []
    _mapping, issues = resolve_mapping(spec, headers, {"Telex": "name", "Fax": "colour"})
    assert [str(i.message) for i in issues] == [
        "Column Telex is not in the file.",
        "Unknown field colour; the fields are: name, currency_code, country_code, founded, capital."]
    _mapping, issues = resolve_mapping(spec, headers, {"Nombre": "", "Divisa": "currency_code"})
    assert [str(i.message) for i in issues] == [
        "Required column Name is missing: name a column of the file Name, or map one to it."]
    assert parse_mapping_options(["Fax=", "3=name"]) == {"Fax": "", "3": "name"}
    with pytest.raises(ValidationError, match="is not a mapping: write COLUMN=FIELD"):
        parse_mapping_options(["name"])


# --- analysis and commit ---------------------------------------------------------------------


def test_a_missing_required_column_stops_before_any_line_and_stores_nothing(db):
    session = db.system()
    before = companies(session)
    table = read_file(csv_bytes("Currency,Country\nEUR,ES\n"), "x.csv")
    report = run_import(session, CompanyImport(), table)
    assert not report.ok and report.lines == [] and report.created == 0
    assert [str(issue) for issue in report.errors] == [
        "Required column Name is missing: name a column of the file Name, or map one to it."]
    assert companies(session) == before


def test_every_problem_is_reported_with_line_and_column_and_nothing_is_stored(db):
    session = db.system()
    before = companies(session)
    text = ("Name,Currency,Founded\n"
            "Alpha,EUR,2020-01-01\n"
            ",EUR,\n"                       # line 3: required name empty
            "Beta,EURO,\n"                  # line 4: refused by the spec's validation
            "Gamma,USD,someday\n"           # line 5: not a date
            "alpha,eur,\n"                  # line 6: same key as line 2
            "Delta,USD,\n"
            "Delta,USD,\n")                 # line 8: repeats line 7
    progress = []
    report = analyse(session, CompanyImport(), read_file(csv_bytes(text), "x.csv"),
                     progress=lambda phase, done, total: progress.append((phase, done, total)))
    assert [(i.line, i.column, str(i.message), i.level) for i in report.issues] == [
        (3, "Name", "Name is empty; it is required.", "error"),
        (4, "Currency", "EURO is not a currency code", "error"),
        (5, "Founded", "someday is not a date: write it as 2024-12-31 or 31/12/2024.", "error"),
        (6, "Name", "Same Name as line 2.", "error"),
        (7, "Currency", "not in euros", "warning"),
        (8, None, "This line repeats line 7.", "error"),
    ]
    assert [line.status for line in report.lines] == [NEW, ERROR, ERROR, ERROR, ERROR, NEW, ERROR]
    assert (report.total, report.new, report.with_errors, report.ok) == (7, 2, 5, False)
    assert progress[-1] == ("check", 7, 7)
    assert str(report.issues[0]) == "line 3, Name: Name is empty; it is required."
    committed = run_import(session, CompanyImport(), read_file(csv_bytes(text), "x.csv"))
    assert not committed.committed and companies(session) == before


def test_commit_creates_new_lines_skips_existing_ones_and_a_rerun_creates_nothing(db):
    session = db.system()
    db.company("Existing Ltd")
    table = read_file(csv_bytes("Name,Currency\nNew One,EUR\nexisting ltd,EUR\nNew Two,GBP\n"), "x.csv")
    report = run_import(session, CompanyImport(), table)
    assert report.committed and report.created == 2
    assert [(line.status, line.existing) for line in report.lines] == [
        (NEW, None), (EXISTS, "Existing Ltd"), (NEW, None)]
    assert "Already exists as Existing Ltd (same Name): this line will be skipped." in [
        str(i.message) for i in report.warnings]
    session.commit()
    again = run_import(session, CompanyImport(), table)
    assert again.ok and again.created == 0 and again.existing == 3
    assert companies(session).count("New One") == 1


def test_a_failure_while_creating_rolls_every_line_back(db):
    session = db.system()
    before = companies(session)
    table = read_file(csv_bytes("Name\nOne\nTwo\nThree\n"), "x.csv")
    report = run_import(session, CompanyImport(fail_on="Three"), table)
    assert not report.committed and report.created == 0
    assert [(i.line, str(i.message)) for i in report.errors] == [
        (4, "the bank refused this one"), (None, "Nothing was imported.")]
    assert companies(session) == before


def test_dry_run_checks_everything_and_stores_nothing(db):
    session = db.system()
    before = companies(session)
    report = run_import(session, CompanyImport(), read_file(csv_bytes("Name\nDry\n"), "x.csv"), dry_run=True)
    assert report.ok and report.new == 1 and not report.committed
    assert companies(session) == before


def test_the_acting_user_needs_create_access_to_the_model(db):
    clerk = db.as_user(db.user("clerk", groups=["core.group_user"]))
    with pytest.raises(AccessDenied, match="may not create Company"):
        analyse(clerk, CompanyImport(), read_file(csv_bytes("Name\nX\n"), "x.csv"))


def test_line_hash_ignores_column_order_spacing_and_case():
    spec = CompanyImport()
    assert line_hash(spec, {"name": "Acme  S.L.", "city": None}) == line_hash(spec, {"city": "", "name": "acme s.l."})
    assert line_hash(spec, {"name": "Acme"}) != line_hash(spec, {"name": "Acme", "currency_code": "USD"})


def test_line_hash_is_the_digest_earlier_imports_stored():
    """A file imported before must be recognised: the digest is the SHA-256 of the JSON of the sorted, plain
    values, as the first version computed it with ``json``."""
    spec = CompanyImport()
    values = {"name": "Café  \"Sol\" \\ S.L.", "city": None, "notes": "", "tags": ["B", "a  x"], "none": [],
              "pair": (), "amount": Decimal("5.50"), "day": dt.date(2026, 1, 2), "ok": True, "line": "a\u2028b\tc"}
    kept = sorted((key, _plain(value)) for key, value in values.items() if value not in (None, "", []))
    payload = json.dumps([spec.name, kept], ensure_ascii=False, default=str)
    assert line_hash(spec, values) == hashlib.sha256(payload.encode("utf-8")).hexdigest()


def test_upload_store_keeps_files_per_user_and_refuses_strangers(tmp_path):
    store = UploadStore(tmp_path / "uploads")
    token = store.save(7, "clientes.csv", b"Name\nA\n")
    assert store.load(7, token) == ("clientes.csv", b"Name\nA\n")
    for owner, guess in ((8, token), (7, "../../etc/passwd"), (7, "x" * 20)):
        with pytest.raises(ImportFileError, match="expired or does not exist"):
            store.load(owner, guess)
    store.discard(7, token)
    with pytest.raises(ImportFileError):
        store.load(7, token)


def test_what_a_file_repeats_is_named_by_the_line_it_was_first_met_at_across_chunks():
    seen = SeenLines()
    try:
        assert seen.first([("a", 2), ("b", 3), ("a", 4)]) == [None, None, 2]
        assert seen.first([("c", 5), ("b", 6), ("c", 7), ("b", 8)]) == [None, 3, 5, 3]
        assert seen.first([("d", 9)]) == [None]
    finally:
        seen.close()
