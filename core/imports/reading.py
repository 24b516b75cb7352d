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

The rows are not kept: :func:`read_file` reads the file once (its limits, its
header, how many rows), and each pass over :attr:`SourceTable.rows` reads
them again from the file's bytes, so an import holds one chunk of rows at a
time however long the file is.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from flask_babel import lazy_gettext as _l

from .limits import (MAX_COLUMNS, ImportFileError, LineLimits, check_archive, check_file_size,
                     unreadable_workbook)

DELIMITERS = ",;\t|"
SNIFF_CHARS = 20000
DECODE_STEP = 1 << 20
ENCODING_NAMES = {"cp1252": "Windows-1252", "latin-1": "Latin-1 (ISO-8859-1)"}


@dataclass
class SourceRow:
    line: int
    cells: list[str]


#: (line number, cells) of each record; called with True on a pass after the first, whose limits were checked
Records = Callable[..., Iterator[tuple[int, list[str]]]]


class SourceRows:
    """The rows of a file under its header, read again from the file at each pass (see the module docstring)."""

    def __init__(self, records: Records, width: int, count: int):
        self.records, self.width, self.count = records, width, count

    def __iter__(self) -> Iterator[SourceRow]:
        header_seen = False
        for line, record in self.records(True):
            cells = _stripped(record)
            if not cells:
                continue
            if not header_seen:
                header_seen = True
                continue
            if len(cells) < self.width:
                cells.extend([""] * (self.width - len(cells)))
            yield SourceRow(line, cells)

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index: int) -> SourceRow:
        if not 0 <= index < self.count:
            raise IndexError(index)
        return next(islice(self, index, None))

    def head(self, count: int) -> list[SourceRow]:
        return list(islice(self, count))


@dataclass
class SourceTable:
    """A file's header and rows, every cell as stripped text (``""`` when empty)."""

    filename: str
    headers: list[str]
    rows: SourceRows
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


def decode(data: bytes, filename: str, encoding: str | None = None) -> tuple[str, list]:
    """The encoding a CSV file is read with, and notices for the person importing; raises when it cannot be read.

    The text is checked step by step and not kept: the rows are decoded again as they are read.
    """
    if encoding:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise ImportFileError(_l("Unknown encoding %(encoding)s.", encoding=encoding)) from None
        bad = _undecodable(data, codec)
        if bad is not None:
            line = data[:bad].count(b"\n") + 1
            raise ImportFileError(_l("%(file)s is not %(encoding)s text: line %(line)s has a byte it cannot decode. "
                                     "Save the file as CSV UTF-8, or choose its encoding.",
                                     file=filename, encoding=encoding, line=line))
        return codec, []
    if data.startswith(codecs.BOM_UTF8):
        if _undecodable(data, "utf-8") is not None:
            raise ImportFileError(_l("%(file)s says it is UTF-8 text but contains bytes that are not. "
                                     "Save it again as CSV UTF-8.", file=filename))
        return "utf-8-sig", []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        if _undecodable(data, "utf-16") is not None:
            raise ImportFileError(_l("%(file)s starts like UTF-16 text but cannot be read as such. "
                                     "Save it as CSV UTF-8.", file=filename))
        return "utf-16", []
    if b"\x00" in data[:65536]:
        raise ImportFileError(_l("%(file)s does not look like a text CSV file (it contains binary data). "
                                 "Save it as CSV UTF-8 or XLSX.", file=filename))
    if _undecodable(data, "utf-8") is None:
        return "utf-8", []
    legacy = "cp1252" if _undecodable(data, "cp1252") is None else "latin-1"  # latin-1 decodes any byte
    return legacy, [_l("%(file)s is not UTF-8 text; it was read as %(encoding)s. Check that accented "
                       "letters look right in the preview, or save the file as CSV UTF-8.",
                       file=filename, encoding=ENCODING_NAMES[legacy])]


def _undecodable(data: bytes, codec: str) -> int | None:
    """The offset of the first byte ``codec`` cannot decode, or None; decoded step by step, nothing kept."""
    decoder = codecs.getincrementaldecoder(codec)()
    view = memoryview(data)
    for start in range(0, len(data), DECODE_STEP):
        pending = len(decoder.getstate()[0])  # bytes of a character cut by the previous step
        try:
            decoder.decode(view[start:start + DECODE_STEP], final=start + DECODE_STEP >= len(data))
        except UnicodeDecodeError as error:
            return max(0, start - pending + error.start)
    return None


def _text_stream(data: bytes, codec: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data), encoding=codec, newline="")


def csv_records(text, delimiter: str, filename: str, *, checked: bool = False) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of each record of a CSV text (a string or a text stream), within the limits (unless
    ``checked``: the same text was read through them before)."""
    if len(delimiter) != 1 or delimiter in '"\r\n':
        raise ImportFileError(_l("%(value)s cannot separate the columns of a CSV file: choose one character, "
                                 "such as , or ;.", value=repr(delimiter)[:20]))
    stream = io.StringIO(text, newline="") if isinstance(text, str) else text
    reader = csv.reader(stream, delimiter=delimiter, quotechar='"', doublequote=True,
                        strict=False)
    limits = LineLimits(filename)
    line = 0
    try:
        for record in reader:
            line += 1
            if not checked:
                limits.check(line, record)
            yield line, record
    except csv.Error as error:
        if "field larger than field limit" in str(error):  # csv's own cell limit, above ours
            limits.cell_too_long(line + 1)
        raise ImportFileError(_l("%(file)s cannot be read as CSV at line %(line)s: %(reason)s",
                                 file=filename, line=line + 1, reason=str(error))) from None


def read_csv(data: bytes, filename: str, encoding: str | None = None) -> SourceTable:
    used, notices = decode(data, filename, encoding)
    sample = _text_stream(data, used).read(SNIFF_CHARS)
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=DELIMITERS)
        delimiter = dialect.delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        delimiter = max(DELIMITERS, key=first.count) if first and any(d in first for d in DELIMITERS) else ","

    def records(checked: bool = False):
        return csv_records(_text_stream(data, used), delimiter, filename, checked=checked)

    return _table(filename, records, "csv", used, notices)


def read_xlsx(data: bytes, filename: str) -> SourceTable:
    from openpyxl import load_workbook

    check_archive(data, filename)

    def records(_checked: bool = False):
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds (zipfile.BadZipFile, KeyError, InvalidFileException, XML)
            raise unreadable_workbook(filename) from None
        try:
            yield from _xlsx_records(workbook.worksheets[0], filename)
        except ImportFileError:
            raise
        except Exception:  # a part that is not the XML it should be, or fails its checksum
            raise unreadable_workbook(filename) from None
        finally:
            workbook.close()

    return _table(filename, records, "xlsx", None, [])


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


def _stripped(record: list[str]) -> list[str]:
    cells = [cell.strip() for cell in record]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _survey(records: Iterable[tuple[int, list[str]]]) -> tuple[list[str] | None, int]:
    """The first non-blank record as the header, and how many non-blank rows follow it (read to the end, so
    that every limit is checked before any line is imported)."""
    headers, count = None, 0
    for _line, record in records:
        if headers is None:
            headers = _stripped(record) or None
        elif any(map(str.strip, record)):
            count += 1
    return headers, count


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


def _table(filename: str, records: Records, fmt: str, encoding: str | None, notices: list) -> SourceTable:
    headers, count = _survey(records())
    if not headers:
        raise ImportFileError(_l("%(file)s is empty: the first line must name the columns.", file=filename))
    if len(headers) > MAX_COLUMNS:
        raise ImportFileError(_l("%(file)s has more than %(count)s columns.", file=filename, count=MAX_COLUMNS))
    return SourceTable(filename, headers, SourceRows(records, len(headers), count), fmt, encoding, notices)
