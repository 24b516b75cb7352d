"""A generic import engine: CSV and XLSX files into any model, checked line by line, all or nothing.

An addon provides an :class:`ImportSpec` for its model (fields, conversions,
validation through its services, natural keys); this package reads the file
(:func:`read_file`), maps its columns (:func:`resolve_mapping`), checks every
line into an :class:`ImportReport` (:func:`analyse`) and creates the records
only when nothing is wrong (:func:`run_import`). :func:`import_command` gives
the ``bottega import <name> FILE`` command, and :class:`UploadStore` keeps an
uploaded file between the web pages of an import. :mod:`~core.imports.limits`
bounds what a file may hold, so that a file built to expand is refused early.
"""
from .cli import import_command
from .engine import (
    ERROR,
    EXISTS,
    NEW,
    ImportIssue,
    ImportLine,
    ImportReport,
    analyse,
    auto_mapping,
    line_hash,
    parse_mapping_options,
    resolve_mapping,
    run_import,
)
from .limits import ImportFileError
from .reading import SourceRow, SourceRows, SourceTable, csv_records, read_file
from .spec import ImportField, ImportSpec, LineError
from .uploads import UploadStore

__all__ = [
    "ERROR",
    "EXISTS",
    "NEW",
    "ImportField",
    "ImportFileError",
    "ImportIssue",
    "ImportLine",
    "ImportReport",
    "ImportSpec",
    "LineError",
    "SourceRow",
    "SourceRows",
    "SourceTable",
    "UploadStore",
    "analyse",
    "auto_mapping",
    "csv_records",
    "import_command",
    "line_hash",
    "parse_mapping_options",
    "read_file",
    "resolve_mapping",
    "run_import",
]
