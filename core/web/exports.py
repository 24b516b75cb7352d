"""Lists as CSV or XLSX downloads: the generic list views' export, and the core's own logs.

Every value is written as text, guarded against spreadsheet formulas;
CSV is streamed in batches, XLSX built in a write-only workbook.
"""
from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Sequence

from flask import Response, stream_with_context

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
        return Response(stream_with_context(_csv_chunks(header, safe_lines)), mimetype="text/csv",
                        headers=disposition)
    return Response(_xlsx(title, header, safe_lines), mimetype=XLSX_MIMETYPE, headers=disposition)


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


def _xlsx(title: str, header, lines) -> bytes:
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
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as buffer:
        workbook.save(buffer)
        buffer.seek(0)
        return buffer.read()
