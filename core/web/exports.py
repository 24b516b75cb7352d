"""Lists as CSV or XLSX downloads: the generic list views' export, and the core's own logs.

Every value is written as text, guarded against spreadsheet formulas;
CSV is streamed in batches, XLSX built in a write-only workbook. A large
export runs as a task and writes the same file to disk (:func:`write_export`).
"""
from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from flask import Response, stream_with_context

from .context import open_sessions

EXPORT_FORMATS = ("csv", "xlsx")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_BATCH = 1000
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def spreadsheet_safe(value: str) -> str:
    """Keep a spreadsheet from running a stored value as a formula (CSV/formula injection)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def export_response(fmt: str, name: str, title: str, header: Sequence[str], lines: Iterable[Sequence[str]]):
    """A download of ``lines`` (text cells) under ``header``, as ``name.csv`` or ``name.xlsx``."""
    disposition = {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    safe_lines = ([spreadsheet_safe(value) for value in line] for line in lines)
    if fmt == "csv":
        chunks = _closing(_csv_chunks(header, safe_lines), open_sessions())
        return Response(stream_with_context(chunks), mimetype="text/csv", headers=disposition)
    return Response(_xlsx(title, header, safe_lines), mimetype=XLSX_MIMETYPE, headers=disposition)


def _closing(chunks, sessions):
    """``chunks``, then ``sessions`` closed.

    Flask tears the request down, closing its sessions, before a streamed
    body is read; the lines read from the database then reopen them, and
    nothing else would give their connections back to the pool.
    """
    try:
        yield from chunks
    finally:
        for session in sessions:
            session.close()


def _csv_chunks(header, lines):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(header)
    for number, line in enumerate(lines, 1):
        writer.writerow(line)
        if number % EXPORT_BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_export(fmt: str, path: Path, title: str, header: Sequence[str], lines: Iterable[Sequence[str]]) -> None:
    """Write ``lines`` under ``header`` to ``path`` as CSV or XLSX, as :func:`export_response` sends them."""
    safe_lines = ([spreadsheet_safe(value) for value in line] for line in lines)
    if fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            for chunk in _csv_chunks(header, safe_lines):
                handle.write(chunk)
    else:
        _workbook(title, header, safe_lines).save(path)


def _xlsx(title: str, header, lines) -> bytes:
    workbook = _workbook(title, header, lines)
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as buffer:
        workbook.save(buffer)
        buffer.seek(0)
        return buffer.read()


def _workbook(title: str, header, lines):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(header)
    for line in lines:
        cells = []
        for value in line:
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    return workbook
