"""A generic import engine: CSV and XLSX files into any model, checked line by line, all or nothing.

An addon provides an :class:`ImportSpec` for its model (fields, conversions,
validation through its services, natural keys); this package reads the file
(:func:`read_file`), maps its columns (:func:`resolve_mapping`), checks every
line into an :class:`ImportReport` (:func:`analyse`) and creates the records
only when nothing is wrong (:func:`run_import`). :func:`import_command` gives
the ``bottega import <name> FILE`` command, and :class:`UploadStore` keeps an
uploaded file between the web pages of an import. :mod:`~core.imports.limits`
bounds what a file may hold, so that a file built to expand is refused early.

Each name is imported on first use (:mod:`core.lazy`).
"""
from core.lazy import lazy_exports

_EXPORTS = {
    "import_command": ".cli",
    **dict.fromkeys((
        "ERROR", "EXISTS", "NEW", "ImportIssue", "ImportLine", "ImportReport", "analyse", "auto_mapping",
        "line_hash", "parse_mapping_options", "resolve_mapping", "run_import",
    ), ".engine"),
    "ImportFileError": ".limits",
    **dict.fromkeys(("SourceRow", "SourceRows", "SourceTable", "csv_records", "read_file"), ".reading"),
    **dict.fromkeys(("ImportField", "ImportSpec", "LineError"), ".spec"),
    "UploadStore": ".uploads",
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
