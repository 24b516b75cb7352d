"""How much an import file may hold, checked before and while it is read.

A file crafted to expand (an XLSX "zip bomb" that unpacks a few hundred
kilobytes into gigabytes, a sheet claiming a million rows, a CSV of one
100 MB line) would otherwise hold a worker's memory and time for minutes.
Each limit is checked as early as it can be, from the zip's own directory
before anything is unpacked, then line by line while reading, and a file
over a limit is refused with a message naming the limit; nothing is stored.
"""
from __future__ import annotations

import io
import zipfile

from flask_babel import lazy_gettext as _l

from core.errors import BottegaError

MEGABYTE = 1024 * 1024
#: the largest file read at all (the web's upload limit too)
MAX_FILE_BYTES = 32 * MEGABYTE
#: lines of a file after its header, counted as a spreadsheet numbers them (blank lines included)
MAX_LINES = 100_000
MAX_COLUMNS = 500
#: Excel's own limit for the text of one cell
MAX_CELL_CHARS = 32_767
#: filled cells of the whole file
MAX_CELLS = 2_000_000
#: what the parts of an XLSX file may unpack to, together
MAX_UNPACKED_BYTES = 100 * MEGABYTE
#: how many times smaller than its content a part of an XLSX file may be (a real sheet: 5 to 30 times)
MAX_RATIO = 200
#: parts this small are never a danger, whatever they compress to
RATIO_FLOOR = MEGABYTE


class ImportFileError(BottegaError):
    """The file cannot be read at all (unknown type, binary data, undecodable text, no header, over a limit)."""


def unreadable_workbook(filename: str) -> ImportFileError:
    return ImportFileError(_l("%(file)s cannot be opened as an XLSX workbook. Save it again from your spreadsheet "
                              "program as .xlsx, or as CSV UTF-8.", file=filename))


def megabytes(size: int) -> str:
    return f"{size / MEGABYTE:.1f}"


def check_file_size(size: int, filename: str) -> None:
    if size > MAX_FILE_BYTES:
        raise ImportFileError(_l("%(file)s is %(size)s MB; an import file may have at most %(limit)s MB. Split it "
                                 "into smaller files.", file=filename, size=megabytes(size),
                                 limit=megabytes(MAX_FILE_BYTES)))


def check_archive(data: bytes, filename: str) -> None:
    """Refuse an XLSX file whose parts would unpack to too much, from the sizes its zip directory declares.

    Python's zipfile never unpacks more than a part declares, so the declared
    sizes bound the work; a part that lies about its size fails its checksum.
    """
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError):
        raise unreadable_workbook(filename) from None
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFileError(_l("%(file)s unpacks to %(size)s MB; an XLSX import file may unpack to at most "
                                 "%(limit)s MB. Split it into smaller files.", file=filename,
                                 size=megabytes(unpacked), limit=megabytes(MAX_UNPACKED_BYTES)))
    for member in members:
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise ImportFileError(_l("%(file)s is not read: its part %(part)s is compressed more than %(ratio)s "
                                     "times, as only a file built to exhaust the server is. Save it again from "
                                     "your spreadsheet program.", file=filename, part=member.filename,
                                     ratio=MAX_RATIO))


class LineLimits:
    """Counts the lines and cells of a file as they are read; raises at the first limit passed."""

    def __init__(self, filename: str):
        self.filename = filename
        self.cells = 0
        self.headers: list[str] | None = None

    def check(self, line: int, cells: list[str]) -> None:
        if line > MAX_LINES + 1:
            raise ImportFileError(_l("%(file)s has more than %(count)s lines after its header; split it into "
                                     "smaller files.",
                                     file=self.filename, count=MAX_LINES))
        if cells and max(map(len, cells)) > MAX_CELL_CHARS:
            for index, cell in enumerate(cells):
                if len(cell) > MAX_CELL_CHARS:
                    self.cell_too_long(line, index, len(cell))
        if self.headers is None and any(cells):
            self.headers = cells
        self.cells += len(cells) - cells.count("")
        if self.cells > MAX_CELLS:
            raise ImportFileError(_l("%(file)s has more than %(count)s filled cells; split it into smaller files.",
                                     file=self.filename, count=MAX_CELLS))

    def cell_too_long(self, line: int, index: int | None = None, length: int | None = None):
        """Refuse the file, naming the cell's column when the header has one."""
        column = self.headers[index].strip() if self.headers and index is not None and index < len(self.headers) \
            else ""
        if column:
            raise ImportFileError(_l("%(file)s, line %(line)s: a cell may hold at most %(count)s characters; the "
                                     "one in column %(column)s has %(length)s.", file=self.filename, line=line,
                                     count=MAX_CELL_CHARS, column=column[:80], length=length))
        raise ImportFileError(_l("%(file)s, line %(line)s: a cell may hold at most %(count)s characters.",
                                 file=self.filename, line=line, count=MAX_CELL_CHARS))
