"""Reading an import file (CSV or XLSX) into a header and numbered rows of text cells.

CSV: the encoding is UTF-8 (with or without a byte-order mark, or UTF-16 with
one); a file that is not valid UTF-8 is read as Windows-1252, the encoding
spreadsheet programs use in Western Europe, or failing that Latin-1, and the
table says so in ``notice`` so that the person importing checks the accented
letters in the preview. An explicit ``encoding`` is used as given, and a byte
it cannot decode is an error naming the line. The delimiter (``,``, ``;``,
tab or ``|``) is detected from the first lines.

XLSX: the first worksheet, through openpyxl in read-only mode (streamed);
numbers that are whole become ``"12"`` rather than ``"12.0"``, dates become
ISO dates.

Both are read within the limits of :mod:`core.imports.limits` (file size,
unpacked size, lines, cells), checked before and while reading.

Line numbers are the file's row numbers as a spreadsheet shows them: the
header is line 1. Blank rows are skipped (they keep their number).
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import lazy_gettext as _l

from .limits import (MAX_COLUMNS, ImportFileError, LineLimits, check_archive, check_file_size,
                     unreadable_workbook)

DELIMITERS = ",;\t|"
ENCODING_NAMES = {"cp1252": "Windows-1252", "latin-1": "Latin-1 (ISO-8859-1)"}


@dataclass
class SourceRow:
    line: int
    cells: list[str]


@dataclass
class SourceTable:
    """A file's header and rows, every cell as stripped text (``""`` when empty)."""

    filename: str
    headers: list[str]
    rows: list[SourceRow]
    format: str
    encoding: str | None = None
    notices: list = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)


def read_file(data: bytes, filename: str, encoding: str | None = None) -> SourceTable:
    """Read ``data`` as CSV or XLSX, chosen by the extension of ``filename`` (then by content)."""
    suffix = Path(filename or "").suffix.lower()
    check_file_size(len(data), filename)
    if suffix == ".xls":
        raise ImportFileError(_l("%(file)s is an old Excel .xls file: save it as .xlsx or CSV and try again.",
                                 file=filename))
    if suffix == ".xlsx" or (suffix not in (".csv", ".txt", ".tsv") and data[:4] == b"PK\x03\x04"):
        return read_xlsx(data, filename)
    if suffix not in ("", ".csv", ".txt", ".tsv"):
        raise ImportFileError(_l("%(file)s is not a CSV or XLSX file.", file=filename))
    return read_csv(data, filename, encoding)


def decode(data: bytes, filename: str, encoding: str | None = None) -> tuple[str, str, list]:
    """The text of a CSV file, the encoding used, and notices for the person importing."""
    if encoding:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise ImportFileError(_l("Unknown encoding %(encoding)s.", encoding=encoding)) from None
        try:
            return data.decode(codec), codec, []
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise ImportFileError(_l("%(file)s is not %(encoding)s text: line %(line)s has a byte it cannot decode. "
                                     "Save the file as CSV UTF-8, or choose its encoding.",
                                     file=filename, encoding=encoding, line=line)) from None
    if data.startswith(codecs.BOM_UTF8):
        body = data[len(codecs.BOM_UTF8):]
        if not _utf8(body):
            raise ImportFileError(_l("%(file)s says it is UTF-8 text but contains bytes that are not. "
                                     "Save it again as CSV UTF-8.", file=filename))
        return body.decode("utf-8"), "utf-8-sig", []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16", []
        except UnicodeDecodeError:
            raise ImportFileError(_l("%(file)s starts like UTF-16 text but cannot be read as such. "
                                     "Save it as CSV UTF-8.", file=filename)) from None
    if b"\x00" in data[:65536]:
        raise ImportFileError(_l("%(file)s does not look like a text CSV file (it contains binary data). "
                                 "Save it as CSV UTF-8 or XLSX.", file=filename))
    if _utf8(data):
        return data.decode("utf-8"), "utf-8", []
    for legacy in ("cp1252", "latin-1"):
        try:
            text = data.decode(legacy)
        except UnicodeDecodeError:
            continue
        return text, legacy, [_l("%(file)s is not UTF-8 text; it was read as %(encoding)s. Check that accented "
                                 "letters look right in the preview, or save the file as CSV UTF-8.",
                                 file=filename, encoding=ENCODING_NAMES[legacy])]
    raise ImportFileError(_l("The encoding of %(file)s cannot be recognised. Save it as CSV UTF-8.",
                             file=filename))  # pragma: no cover (latin-1 decodes any byte)


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def csv_records(text: str, delimiter: str, filename: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of each record of a CSV text, within the line and cell limits."""
    if len(delimiter) != 1 or delimiter in '"\r\n':
        raise ImportFileError(_l("%(value)s cannot separate the columns of a CSV file: choose one character, "
                                 "such as , or ;.", value=repr(delimiter)[:20]))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', doublequote=True,
                        strict=False)
    limits = LineLimits(filename)
    line = 0
    try:
        for record in reader:
            line += 1
            limits.check(line, record)
            yield line, record
    except csv.Error as error:
        if "field larger than field limit" in str(error):  # csv's own cell limit, above ours
            limits.cell_too_long(line + 1)
        raise ImportFileError(_l("%(file)s cannot be read as CSV at line %(line)s: %(reason)s",
                                 file=filename, line=line + 1, reason=str(error))) from None


def read_csv(data: bytes, filename: str, encoding: str | None = None) -> SourceTable:
    text, used, notices = decode(data, filename, encoding)
    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=DELIMITERS)
        delimiter = dialect.delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        delimiter = max(DELIMITERS, key=first.count) if first and any(d in first for d in DELIMITERS) else ","
    headers, rows = _collect(csv_records(text, delimiter, filename))
    return _table(filename, headers, rows, "csv", used, notices)


def read_xlsx(data: bytes, filename: str) -> SourceTable:
    from openpyxl import load_workbook

    check_archive(data, filename)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (zipfile.BadZipFile, KeyError, InvalidFileException, XML errors)
        raise unreadable_workbook(filename) from None
    try:
        headers, rows = _collect(_xlsx_records(workbook.worksheets[0], filename))
    except ImportFileError:
        raise
    except Exception:  # a part that is not the XML it should be, or fails its checksum
        raise unreadable_workbook(filename) from None
    finally:
        workbook.close()
    return _table(filename, headers, rows, "xlsx", None, [])


def _xlsx_records(sheet, filename: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of a read-only worksheet, streamed, within the line and cell limits.

    The size the sheet claims (up to 16384 columns by 1048576 rows) is ignored,
    so it pads no row; rows after the header are cut to its width, as no cell
    past it is imported.
    """
    sheet.reset_dimensions()
    limits = LineLimits(filename)
    width = MAX_COLUMNS + 1
    for line, values in enumerate(sheet.iter_rows(max_col=width, values_only=True), start=1):
        values = values[:width]
        cells = [] if values.count(None) == len(values) else [_cell_text(value) for value in values]
        limits.check(line, cells)
        if width > MAX_COLUMNS and any(cells):
            width = max(index for index, cell in enumerate(cells, start=1) if cell)
        yield line, cells


def _collect(records: Iterable[tuple[int, list[str]]]) -> tuple[list[str] | None, list[SourceRow]]:
    """The first non-blank record as the header, then the non-blank rows, each cell stripped."""
    headers, rows = None, []
    for line, record in records:
        cells = [cell.strip() for cell in record]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        if headers is None:
            headers = cells
        else:
            rows.append(SourceRow(line, cells))
    return headers, rows


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _table(filename, headers, rows, fmt, encoding, notices) -> SourceTable:
    if not headers:
        raise ImportFileError(_l("%(file)s is empty: the first line must name the columns.", file=filename))
    while headers and not headers[-1]:
        headers.pop()
    if len(headers) > MAX_COLUMNS:
        raise ImportFileError(_l("%(file)s has more than %(count)s columns.", file=filename, count=MAX_COLUMNS))
    width = len(headers)
    for row in rows:
        if len(row.cells) < width:
            row.cells.extend([""] * (width - len(row.cells)))
    return SourceTable(filename, headers, rows, fmt, encoding, notices)
