"""Files built to exhaust a server, made in memory by the tests that need them (never stored in the repository).

Each XLSX starts as a real workbook saved by openpyxl; some of its parts are
then replaced by XML streamed through the zip compressor, so a part that
unpacks to tens of megabytes costs the test only its compressed size.
"""
from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

from openpyxl import Workbook

MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = "xl/worksheets/sheet1.xml"
SHARED_STRINGS = "xl/sharedStrings.xml"
MEGABYTE = 1024 * 1024


def workbook(rows: Iterable[Iterable]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_parts(xlsx: bytes, parts: dict[str, Iterable[bytes]]) -> bytes:
    """``xlsx`` with each part named in ``parts`` replaced by (or added as) the concatenated chunks."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info, source.read(info.filename))
        for name, chunks in parts.items():
            with target.open(name, "w", force_zip64=True) as handle:
                for chunk in chunks:
                    handle.write(chunk)
    return output.getvalue()


def cell(text: str) -> bytes:
    return b'<c t="inlineStr"><is><t>' + text.encode() + b"</t></is></c>"


def sheet(*rows: bytes, head: bytes = b"", repeat: bytes = b"", megabytes: int = 0) -> Iterable[bytes]:
    """Sheet XML: ``rows``, then ``repeat`` again and again until about ``megabytes`` MB."""
    yield b'<worksheet xmlns="' + MAIN + b'">' + head + b"<sheetData>"
    yield from rows
    if repeat:
        chunk = repeat * (MEGABYTE // len(repeat))
        for _ in range(megabytes):
            yield chunk
    yield b"</sheetData></worksheet>"


def row(*texts: str, number: int | None = None) -> bytes:
    opening = b"<row>" if number is None else b'<row r="%d">' % number
    return opening + b"".join(cell(text) for text in texts) + b"</row>"


def zip_bomb(megabytes: int = 64) -> bytes:
    """A sheet of one header and the same line over and over: a few dozen kilobytes that unpack to ``megabytes``."""
    return with_parts(workbook([["Name"]]), {SHEET: sheet(row("Name"), repeat=row("spam"), megabytes=megabytes)})


def shared_strings_bomb(megabytes: int = 64) -> bytes:
    """A workbook whose shared-strings table holds millions of strings."""
    def table():
        yield b'<sst xmlns="' + MAIN + b'">'
        chunk = b"<si><t>spam</t></si>" * (MEGABYTE // 20)
        for _ in range(megabytes):
            yield chunk
        yield b"</sst>"

    return with_parts(workbook([["Name"], ["Rossi"]]), {SHARED_STRINGS: table()})


def sized_sheet(claimed: str, last_row: int | None = None) -> bytes:
    """A two-line sheet claiming to be ``claimed`` (e.g. ``A1:XFD1048576``), with one more cell at ``last_row``."""
    far = [] if last_row is None else [b'<row r="%d"><c r="XFD%d" t="inlineStr"><is><t>x</t></is></c></row>'
                                       % (last_row, last_row)]
    head = b'<dimension ref="' + claimed.encode() + b'"/>'
    return with_parts(workbook([["Name"]]), {SHEET: sheet(row("Name", number=1), row("Rossi", number=2), *far,
                                                                head=head)})


def billion_laughs(root: bytes, inner: bytes) -> bytes:
    """XML whose one entity expands to 10^9 copies of "lol" when resolved: ``<root>...&lol9;...</root>``."""
    entities = [b'<!ENTITY lol0 "lol">'] + [
        b'<!ENTITY lol%d "%s">' % (level, b"&lol%d;" % (level - 1) * 10) for level in range(1, 10)]
    return (b'<?xml version="1.0"?><!DOCTYPE ' + root + b" [" + b"".join(entities) + b"]>"
            + inner.replace(b"LAUGHS", b"&lol9;"))


def laughing_sheet() -> bytes:
    """A workbook whose sheet is a billion-laughs document."""
    inner = b'<worksheet xmlns="' + MAIN + b'"><sheetData>' + row("Name") + row("LAUGHS") + b"</sheetData></worksheet>"
    return with_parts(workbook([["Name"]]), {SHEET: [billion_laughs(b"worksheet", inner)]})
