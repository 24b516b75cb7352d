"""The import engine: column mapping, a checked preview with a per-line report, and an all-or-nothing commit.

The steps, for any :class:`~core.imports.spec.ImportSpec`:

1. **mapping**: each column of the file goes to a field, found by header name
   (the field's name, label or synonyms, in any case and without accents), or
   as the person importing says (``{"Column header" or "3": "field" or None}``);
   a required field without a column stops the import before any line is read;
2. **analysis** (:func:`analyse`): every line is converted and checked by the
   spec (which calls the model's services), and gets a status: ``new``,
   ``exists`` (same natural key as an existing record, or imported before:
   skipped, so re-running a file creates nothing twice) or ``error``. A line
   repeating another line, or another line's key, is an error. Each problem is
   an :class:`ImportIssue` with its line, column and reason;
3. **commit** (:func:`run_import`): the new lines are created chunk by chunk
   as the file is checked, all inside one savepoint; a line with an error
   anywhere, or a failure while creating, rolls the savepoint back and nothing
   is stored. The caller commits the session. A long import run as a job
   commits chunk by chunk instead (:func:`import_in_batches`), so that it can
   show its progress and stop at a chunk's end.

The file is streamed: it is read, checked and written :data:`CHUNK` lines at
a time, with what the spec looks up done once per chunk (:meth:`ImportSpec.prepare`)
and the existing records found with one query per chunk. What the report
keeps is bounded (the first :data:`KEPT_LINES` lines for a preview, the first
:data:`KEPT_ISSUES` errors and as many warnings, and counts of the rest); the
lines and keys met so far, to find those a file repeats, are kept on disk
(:class:`SeenLines`), so memory stays flat as the file grows.

All of it runs in the caller's session, so a user session applies that user's
access and record rules; the user needs create access to ``spec.model``.
"""
from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass, field
from itertools import islice

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from core.bulk import collector_paused
from core.errors import AccessDenied, ValidationError
from core.fields import related_remembered

from .reading import SourceRow, SourceTable
from .spec import ImportSpec, LineError

NEW, EXISTS, ERROR = "new", "exists", "error"
ERROR_LEVEL, WARNING_LEVEL = "error", "warning"
CHUNK = 2000
KEPT_LINES = 100
KEPT_ISSUES = 100
SQLITE_PARAMETERS = 900
IGNORE = ("", "-", "ignore", "none")

Progress = Callable[[str, int, int], None]
#: Called after each committed chunk with the report and the lines just stored; returns False to stop there.
AfterBatch = Callable[["ImportReport", list[int]], bool]


@dataclass
class ImportIssue:
    """One problem: ``line`` None for the whole file, ``column`` the header text when there is one."""

    line: int | None
    column: str | None
    field: str | None
    message: object
    level: str = ERROR_LEVEL

    @property
    def is_error(self) -> bool:
        return self.level == ERROR_LEVEL

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(str(_l("line %(line)s", line=self.line)))
        if self.column:
            where.append(str(self.column))
        return f"{', '.join(where)}: {self.message}" if where else str(self.message)


@dataclass
class ImportLine:
    """One line of the file after analysis."""

    line: int
    values: dict
    status: str
    hash: str
    label: str = ""
    existing: str | None = None


@dataclass
class ImportReport:
    """What an analysis found, and what a commit did: counts of everything, the first lines and issues."""

    spec_name: str
    filename: str
    format: str
    encoding: str | None
    headers: list[str]
    mapping: dict[int, str]
    lines: list[ImportLine] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)
    notices: list = field(default_factory=list)
    total: int = 0
    created: int = 0
    committed: bool = False
    statuses: Counter = field(default_factory=Counter)
    error_count: int = 0
    warning_count: int = 0
    with_errors: int = 0
    checked: int = 0
    imported: list[int] = field(default_factory=list)
    stopped: bool = False

    def add_issues(self, issues: Iterable[ImportIssue]) -> None:
        """Count ``issues`` and keep the first :data:`KEPT_ISSUES` errors and warnings."""
        for issue in issues:
            if issue.is_error:
                self.error_count += 1
                kept = self.error_count <= KEPT_ISSUES
            else:
                self.warning_count += 1
                kept = self.warning_count <= KEPT_ISSUES
            if kept:
                self.issues.append(issue)

    def add_lines(self, lines: list[ImportLine]) -> None:
        self.statuses.update(line.status for line in lines)
        self.with_errors += sum(1 for line in lines if line.status == ERROR)
        self.lines.extend(lines[:max(0, KEPT_LINES - len(self.lines))])

    @property
    def errors(self) -> list[ImportIssue]:
        return [issue for issue in self.issues if issue.is_error]

    @property
    def warnings(self) -> list[ImportIssue]:
        return [issue for issue in self.issues if not issue.is_error]

    @property
    def issue_count(self) -> int:
        return self.error_count + self.warning_count

    @property
    def ok(self) -> bool:
        """No error anywhere: the file can be committed."""
        return not self.error_count

    def count(self, status: str) -> int:
        return self.statuses[status]

    @property
    def new(self) -> int:
        return self.count(NEW)

    @property
    def existing(self) -> int:
        return self.count(EXISTS)

    def column_of(self, field_name: str) -> str | None:
        for index, name in self.mapping.items():
            if name == field_name:
                return self.headers[index]
        return None

    def issues_of(self, line: int) -> list[ImportIssue]:
        return [issue for issue in self.issues if issue.line == line]


# --- mapping -----------------------------------------------------------------------------------


def normalize_header(text) -> str:
    text = unicodedata.normalize("NFKD", str(text or ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "", text)


def auto_mapping(spec: ImportSpec, headers: list[str]) -> dict[int, str]:
    """Column index -> field name, by header name; the first column wins when two mean the same field."""
    names: dict[str, str] = {}
    for spec_field in spec.fields:  # a field's own name and label beat another field's synonym
        for candidate in (spec_field.name, str(spec_field.label)):
            names.setdefault(normalize_header(candidate), spec_field.name)
    for spec_field in spec.fields:
        for candidate in spec_field.synonyms:
            names.setdefault(normalize_header(candidate), spec_field.name)
    mapping, taken = {}, set()
    for index, header in enumerate(headers):
        name = names.get(normalize_header(header))
        if name and name not in taken:
            mapping[index] = name
            taken.add(name)
    return mapping


def resolve_mapping(spec: ImportSpec, headers: list[str],
                    overrides: Mapping[str, str | None] | None = None) -> tuple[dict[int, str], list[ImportIssue]]:
    """The automatic mapping changed by ``overrides``: column (header text or 1-based number) -> field or None.

    A field given to a column by an override is taken from any column the
    automatic mapping gave it to. Returns the mapping and the problems found
    (unknown column or field, two columns for one field, a required field
    without a column).
    """
    mapping = auto_mapping(spec, headers)
    issues = []
    known = {f.name for f in spec.fields}
    by_header = {}
    for index, header in enumerate(headers):
        by_header.setdefault(normalize_header(header), index)
    explicit: dict[str, int] = {}
    for column, target in (overrides or {}).items():
        column_text = str(column).strip()
        if column_text.isdigit() and 1 <= int(column_text) <= len(headers):
            index = int(column_text) - 1
        elif normalize_header(column_text) in by_header and column_text:
            index = by_header[normalize_header(column_text)]
        else:
            issues.append(ImportIssue(None, column_text, None, _l("Column %(column)s is not in the file.",
                                                                   column=column_text)))
            continue
        target = (target or "").strip()
        if target.lower() in IGNORE:
            mapping.pop(index, None)
            continue
        if target not in known:
            issues.append(ImportIssue(None, headers[index], None,
                                      _l("Unknown field %(field)s; the fields are: %(fields)s.",
                                         field=target, fields=", ".join(f.name for f in spec.fields))))
            continue
        if target in explicit and explicit[target] != index:
            issues.append(ImportIssue(None, headers[index], target,
                                      _l("Columns %(first)s and %(second)s are both mapped to %(field)s.",
                                         first=headers[explicit[target]], second=headers[index], field=target)))
            continue
        explicit[target] = index
        for other, name in list(mapping.items()):
            if name == target and other != index:
                del mapping[other]
        mapping[index] = target
    for spec_field in spec.fields:
        if spec_field.required and spec_field.name not in mapping.values():
            issues.append(ImportIssue(None, None, spec_field.name,
                                      _l("Required column %(field)s is missing: name a column of the file "
                                         "%(field)s, or map one to it.", field=spec_field.label)))
    return dict(sorted(mapping.items())), issues


def parse_mapping_options(options: Iterable[str]) -> dict[str, str]:
    """``["Header=field", "3=name", "Fax="]`` (the CLI's ``--mapping``) as an overrides dict."""
    result = {}
    for option in options:
        column, sep, target = option.partition("=")
        if not sep or not column.strip():
            raise ValidationError(_l("%(option)s is not a mapping: write COLUMN=FIELD (or COLUMN= to skip a "
                                     "column).", option=option), "mapping")
        result[column.strip()] = target.strip()
    return result


# --- analysis ----------------------------------------------------------------------------------


def line_hash(spec: ImportSpec, values: dict) -> str:
    """A fingerprint of a line's content, independent of column order and spacing.

    The SHA-256 of the JSON text of ``[spec name, [[field, plain value], ...]]``
    (fields sorted, empty values left out), written here as ``json`` would
    write it: the digests stored by earlier imports must stay the same.
    """
    fields = ", ".join(f"[{_quote(key)}, {_json(_plain(values[key]))}]" for key in sorted(values)
                       if not _blank(values[key]))
    return hashlib.sha256(f"[{_quote(spec.name)}, [{fields}]]".encode("utf-8")).hexdigest()


_quote = json.encoder.encode_basestring


def _blank(value) -> bool:
    return value is None or (isinstance(value, (str, list)) and not value)


def _plain(value):
    if isinstance(value, str):
        return " ".join(value.split()).lower()
    if isinstance(value, (list, tuple)):
        return sorted(_plain(v) for v in value)
    return str(value)


def _json(plain) -> str:
    if isinstance(plain, str):
        return _quote(plain)
    return "[" + ", ".join(_json(item) for item in plain) + "]"


def _check_access(session: Session, spec: ImportSpec) -> None:
    actor = session.info.get("actor")
    registry = session.info.get("registry")
    if actor is not None and spec.model is not None:
        if registry is None:
            raise AccessDenied("access denied: the session has no registry")
        registry.require(actor, spec.model, "create")


def _validation_issues(error: ValidationError) -> list[tuple[str | None, object]]:
    if error.errors:
        return list(error.errors.items())
    return [(error.field, str(error))]


class SeenLines:
    """The lines and natural keys met so far in a file, by a 64-bit digest, with the line each was first met at.

    The digest is Python's own hash (SipHash, keyed afresh in each process:
    the store lives for one run of one process).

    They are kept in a private temporary SQLite database (the standard
    library's, spilling to a temporary file past its small page cache), so the
    memory an import holds stays flat however long the file is.
    """

    def __init__(self):
        self.db = sqlite3.connect("")
        self.db.execute("CREATE TABLE seen (digest INTEGER PRIMARY KEY, line INTEGER NOT NULL)")

    def first(self, entries: list[tuple[object, int]]) -> list[int | None]:
        """For each ``(what, line)`` in order, the line ``what`` was first met at (earlier in the file or in
        ``entries``), or None when it is new: it is remembered at ``line``.

        The new digests are inserted with ``INSERT OR IGNORE``: a digest met in
        an earlier chunk keeps its line, and only when some were (fewer rows
        inserted than offered: a file with repeated lines) are they read back.
        """
        digests = [hash(what) for what, _line in entries]
        found: list[int | None] = []
        new: dict[int, int] = {}
        for digest, (_what, line) in zip(digests, entries):
            first = new.get(digest)
            if first is None:
                new[digest] = line
            found.append(first)
        before = self.db.total_changes
        self.db.executemany("INSERT OR IGNORE INTO seen (digest, line) VALUES (?, ?)", new.items())
        if self.db.total_changes - before == len(new):
            return found
        earlier: dict[int, int] = {}
        wanted = list(new)
        for start in range(0, len(wanted), SQLITE_PARAMETERS):
            part = wanted[start:start + SQLITE_PARAMETERS]
            marks = ",".join("?" * len(part))
            earlier.update((digest, line) for digest, line in self.db.execute(
                f"SELECT digest, line FROM seen WHERE digest IN ({marks})", part) if line != new[digest])
        return [earlier.get(digest, first) for digest, first in zip(digests, found)]

    def close(self) -> None:
        self.db.close()


class _Run:
    """One pass over a file: the checks of each chunk, and (committing) its writes."""

    def __init__(self, session: Session, spec: ImportSpec, report: ImportReport, resolved: dict[int, str]):
        self.session, self.spec, self.report, self.resolved = session, spec, report, resolved
        self.column_of = {name: report.headers[index] for index, name in resolved.items()}
        self.columns = [(index, spec.field(name)) for index, name in resolved.items()]
        self.seen = SeenLines()
        self.issues: list[ImportIssue] = []

    def issue(self, line, field_name, message, level=ERROR_LEVEL) -> None:
        self.issues.append(ImportIssue(line, self.column_of.get(field_name), field_name, message, level))

    def check(self, rows: list[SourceRow]) -> list[ImportLine]:
        """Convert and check one chunk of rows; their issues go to the report."""
        self.issues = []
        lines = self._validated(self._converted(rows))
        keys = self._unique(lines)
        self._existing(lines, keys)
        for item in lines:
            if item.status == NEW:
                for field_name, message in self.spec.warnings(self.session, item.line, item.values) or ():
                    self.issue(item.line, field_name, message, WARNING_LEVEL)
        self.issues.sort(key=lambda i: (i.line or 0, not i.is_error))
        self.report.add_issues(self.issues)
        self.report.add_lines(lines)
        return lines

    def _converted(self, rows: list[SourceRow]) -> list[tuple[int, dict, str, bool]]:
        converted = []
        for row in rows:
            values, ok = {}, True
            for index, spec_field in self.columns:
                name = spec_field.name
                text = row.cells[index] if index < len(row.cells) else ""
                if text == "":
                    values[name] = None
                    if spec_field.required:
                        self.issue(row.line, name, _l("%(field)s is empty; it is required.", field=spec_field.label))
                        ok = False
                    continue
                try:
                    values[name] = spec_field.read(text)
                except ValueError as error:
                    self.issue(row.line, name, error.args[0] if error.args else str(error))
                    values[name] = text
                    ok = False
            converted.append((row.line, values, line_hash(self.spec, values), ok))
        return converted

    def _validated(self, converted: list[tuple[int, dict, str, bool]]) -> list[ImportLine]:
        spec, session = self.spec, self.session
        spec.prepare(session, [values for _line, values, _hash, ok in converted if ok])
        lines = []
        for line, values, digest, ok in converted:
            status, cleaned = ERROR, values
            if ok:
                try:
                    cleaned = spec.validate(session, dict(values))
                    status = NEW
                except ValidationError as error:
                    for field_name, message in _validation_issues(error):
                        self.issue(line, field_name, message)
            lines.append(ImportLine(line, cleaned, status, digest, label=spec.describe(cleaned)))
        return lines

    def _unique(self, lines: list[ImportLine]) -> dict[int, dict]:
        """Duplicates within the file (a repeated line, then a repeated natural key) become errors."""
        checked = [item for item in lines if item.status != ERROR]
        for item, first in zip(checked, self.seen.first([(("line", item.hash), item.line) for item in checked])):
            if first is not None:
                self.issue(item.line, None, _l("This line repeats line %(line)s.", line=first))
                item.status = ERROR
        by_line = {item.line: item for item in checked if item.status != ERROR}
        line_keys = {line: self.spec.keys(item.values) for line, item in by_line.items()}
        entries = [((key, value), line) for line, keys in line_keys.items() for key, value in keys.items()]
        for ((key, _value), line), first in zip(entries, self.seen.first(entries)):
            if first is not None:
                self.issue(line, key, _l("Same %(key)s as line %(line)s.", key=self.spec.key_label(key), line=first))
                by_line[line].status = ERROR
        return line_keys

    def _existing(self, lines: list[ImportLine], line_keys: dict[int, dict]) -> None:
        """What exists already: by natural key, then by the hash of earlier imports (one query each)."""
        spec, session = self.spec, self.session
        candidates = [item for item in lines if item.status == NEW]
        wanted: dict[str, set] = defaultdict(set)
        for item in candidates:
            for key, value in line_keys.get(item.line, {}).items():
                wanted[key].add(value)
        found = {key: spec.find_existing(session, key, values) for key, values in wanted.items() if values}
        imported = spec.find_imported(session, {item.hash for item in candidates}) if candidates else {}
        for item in candidates:
            for key, value in line_keys.get(item.line, {}).items():
                label = found.get(key, {}).get(value)
                if label is not None:
                    item.status, item.existing = EXISTS, label
                    self.issue(item.line, key, _l("Already exists as %(record)s (same %(key)s): this line will be "
                                                  "skipped.", record=label, key=spec.key_label(key)), WARNING_LEVEL)
                    break
            else:
                if item.hash in imported:
                    item.status, item.existing = EXISTS, imported[item.hash]
                    self.issue(item.line, None, _l("Imported before as %(record)s: this line will be skipped.",
                                                   record=imported[item.hash]), WARNING_LEVEL)


def _chunks(rows: Iterable[SourceRow]) -> Iterator[list[SourceRow]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


def _start(session: Session, spec: ImportSpec, table: SourceTable,
           mapping: Mapping[str, str | None] | None) -> tuple[ImportReport, _Run | None]:
    _check_access(session, spec)
    resolved, issues = resolve_mapping(spec, table.headers, mapping)
    report = ImportReport(spec.name, table.filename, table.format, table.encoding, list(table.headers), resolved,
                          notices=list(table.notices), total=len(table.rows))
    report.add_issues(issues)
    if not report.ok:
        return report, None
    spec.survey(table.rows, resolved)
    return report, _Run(session, spec, report, resolved)


def analyse(session: Session, spec: ImportSpec, table: SourceTable,
            mapping: Mapping[str, str | None] | None = None, progress: Progress | None = None) -> ImportReport:
    """Map, convert and check every line; write nothing. See the module docstring."""
    report, run = _start(session, spec, table, mapping)
    if run is not None:
        done = 0
        with related_remembered(session), closing(run.seen):
            for rows in _chunks(table.rows):
                with collector_paused():
                    run.check(rows)
                done += len(rows)
                if progress:
                    progress("check", done, report.total)
    return report


def run_import(session: Session, spec: ImportSpec, table: SourceTable,
               mapping: Mapping[str, str | None] | None = None, *, dry_run: bool = False,
               progress: Progress | None = None) -> ImportReport:
    """Check the file chunk by chunk and, unless ``dry_run``, create the new lines of each chunk as it goes.

    All or nothing: the lines are created inside a savepoint of ``session``;
    an error on any line, or while creating, rolls it back, is in the report,
    and nothing is stored. The caller commits the session (a report with
    ``committed`` True) or not.
    """
    if dry_run:
        return analyse(session, spec, table, mapping, progress)
    report, run = _start(session, spec, table, mapping)
    if run is None:
        return report
    savepoint = session.begin_nested()
    try:
        with related_remembered(session), closing(run.seen):
            _check_and_create(run, table, progress)
    except ValidationError as error:
        savepoint.rollback()
        report.created = 0
        line = error.line if isinstance(error, LineError) else None
        for field_name, message in _validation_issues(error):
            report.add_issues([ImportIssue(line, report.column_of(field_name) if field_name else None,
                                           field_name, message)])
        report.add_issues([ImportIssue(None, None, None, _l("Nothing was imported."))])
        return report
    except BaseException:
        savepoint.rollback()
        raise
    if not report.ok:
        savepoint.rollback()
        report.created = 0
        return report
    savepoint.commit()
    report.committed = True
    return report


def _check_and_create(run: _Run, table: SourceTable, progress: Progress | None) -> None:
    session, spec, report = run.session, run.spec, run.report
    done = 0
    for rows in _chunks(table.rows):
        with collector_paused():  # a chunk's objects are dropped with it; cycles wait for the next chunk
            lines = run.check(rows)
            if report.ok:  # after the first error, the rest of the file is only checked
                todo = sorted((item for item in lines if item.status == NEW),
                              key=lambda i: (spec.priority(i.values), i.line))
                spec.create_lines(session, todo)
                report.created += len(todo)
        done += len(rows)
        if progress:
            progress("import", done, report.total)
    if report.ok:
        spec.finish(session)
        session.flush()


def import_in_batches(session: Session, spec: ImportSpec, table: SourceTable,
                      mapping: Mapping[str, str | None] | None = None, *, after_batch: AfterBatch) -> ImportReport:
    """Check and create the file chunk by chunk, committing each chunk: an import run as a job.

    Unlike :func:`run_import`, what is done stays done. A chunk's lines with
    errors are reported and skipped; its new lines are created (in a
    savepoint) and ``session`` is committed; then ``after_batch(report,
    lines)`` gets the lines just stored and returns False to stop there (the
    user cancelled: ``report.stopped``). A failure while creating rolls that
    chunk back, is reported, and stops the import. ``report.imported`` lists
    every line stored, ``report.checked`` how many lines were read; importing
    the same file again skips the lines already stored and imports the rest.
    """
    report, run = _start(session, spec, table, mapping)
    if run is None:
        return report
    with related_remembered(session), closing(run.seen):
        for rows in _chunks(table.rows):
            with collector_paused():
                lines = run.check(rows)
                todo = sorted((item for item in lines if item.status == NEW),
                              key=lambda i: (spec.priority(i.values), i.line))
                if not _create_batch(session, report, spec.create_lines, todo):
                    return report
            report.checked += len(rows)
            stored = [item.line for item in todo if item.line not in spec.deferred_lines()]
            report.created += len(stored)
            report.imported.extend(stored)
            if not after_batch(report, stored):
                report.stopped = True
                return report
        deferred = sorted(spec.deferred_lines())
        if _create_batch(session, report, lambda session, _todo: spec.finish(session), deferred):
            report.created += len(deferred)
            report.imported.extend(deferred)
            report.committed = True
            after_batch(report, deferred)
    return report


def _create_batch(session: Session, report: ImportReport, create, todo: list) -> bool:
    """Create one chunk's lines with ``create(session, todo)`` and commit them; False (reported) when it failed."""
    savepoint = session.begin_nested()
    try:
        create(session, todo)
        session.flush()
    except ValidationError as error:
        savepoint.rollback()
        line = error.line if isinstance(error, LineError) else None
        for field_name, message in _validation_issues(error):
            report.add_issues([ImportIssue(line, report.column_of(field_name) if field_name else None,
                                           field_name, message)])
        report.stopped = True
        return False
    except BaseException:
        savepoint.rollback()
        raise
    savepoint.commit()
    session.commit()
    return True


def line_ranges(lines: Iterable[int]) -> list[tuple[int, int]]:
    """Line numbers as runs of consecutive lines: ``[2, 3, 4, 7]`` -> ``[(2, 4), (7, 7)]``."""
    ranges: list[tuple[int, int]] = []
    for line in sorted(lines):
        if ranges and line == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], line)
        else:
            ranges.append((line, line))
    return ranges
