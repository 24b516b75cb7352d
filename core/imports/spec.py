"""The per-model part of an import: which fields, how to read them, how to check and create a record.

An addon describes its import with a subclass of :class:`ImportSpec` (the
contacts addon's ``PartnerImport``, CRM's leads): the fields with their
header synonyms, the natural keys that make a re-run idempotent, and the
calls to its own services. The engine (:mod:`core.imports.engine`) does the
rest: reading, mapping, conversion, the report, duplicates and the
all-or-nothing commit.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from core.errors import ValidationError

KINDS = ("text", "bool", "int", "decimal", "date", "list")
TRUE_WORDS = {"1", "y", "yes", "true", "x", "s", "si", "sí", "vero", "v", "t", "on", "✓"}
FALSE_WORDS = {"0", "n", "no", "false", "falso", "f", "off", "-"}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y")


class LineError(ValidationError):
    """A line of the file failed while its record was created: ``line`` says which."""

    def __init__(self, line: int, error: ValidationError):
        super().__init__(str(error), error.field, error.errors)
        self.line = line


@dataclass(frozen=True)
class ImportField:
    """A field a file can fill.

    :param name: the value's key in the dict handed to :meth:`ImportSpec.validate` and ``create``
    :param label: what people call it (lazy translated)
    :param required: a file without a column for it is refused; an empty cell is an error on its line
    :param synonyms: other header names (any language, any case, accents ignored) that mean this field
    :param kind: ``text``, ``bool``, ``int``, ``decimal``, ``date`` or ``list`` (split on , ; |)
    :param key: a natural key: unique within the file, matched against existing records
    :param convert: text -> value, raising ``ValueError(message)``; replaces ``kind``
    """

    name: str
    label: object
    required: bool = False
    synonyms: tuple[str, ...] = ()
    kind: str = "text"
    key: bool = False
    convert: Callable[[str], object] | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown import field kind {self.kind!r}")

    @classmethod
    def from_field(cls, found, *, synonyms: tuple[str, ...] = (), key: bool = False, required: bool | None = None,
                   convert: Callable[[str], object] | None = None) -> ImportField:
        """The import field of a field-layer :class:`~core.fields.Field`: its name, label, requiredness and kind.

        Choices are read by value or by label; other checks (length, format,
        bounds) are the field layer's own, applied when the spec validates.
        """
        kind = FIELD_KINDS.get(found.kind, "text")
        if convert is None and found.kind == "choice":
            convert = _choice_reader(found)
        return cls(found.name, found.label, found.required if required is None else required,
                   tuple(synonyms), kind, key, convert)

    def read(self, text: str):
        """The value of a non-empty cell, or ``ValueError`` with a message for the person importing."""
        if self.convert is not None:
            return self.convert(text)
        return CONVERTERS[self.kind](text)


class ImportSpec:
    """What an addon provides for importing one model. Make one instance per import run.

    Subclasses set :attr:`name`, :attr:`model`, :attr:`fields` and implement
    :meth:`validate` and :meth:`create`; the other methods have defaults.
    """

    #: the import's name, also the CLI command name (``bottega import <name> FILE``)
    name: str = ""
    #: the model created; the acting user needs create access to it
    model: type | None = None
    #: the fields a file may fill
    fields: tuple[ImportField, ...] = ()

    def field(self, name: str) -> ImportField:
        for candidate in self.fields:
            if candidate.name == name:
                return candidate
        raise KeyError(name)

    def survey(self, rows: Iterable, mapping: dict[int, str]) -> None:
        """Called once before any line is checked, with the file's rows (:class:`~core.imports.SourceRow`, read
        again from the file) and the mapping (column index -> field name).

        For what checking a line needs to know of the whole file (the
        companies other lines create); most specs need nothing.
        """

    def prepare(self, session: Session, rows: list[dict]) -> None:
        """Called once per chunk of lines with the converted values of its readable lines, before :meth:`validate`.

        Load what validation needs in bulk here (lookups by name, existing
        records): one query per chunk, not one per line.
        """

    def validate(self, session: Session, values: dict) -> dict:
        """Check one line through the model's services and return the values ``create`` will get.

        Raise :class:`core.errors.ValidationError` naming the ``field``; an
        error with an ``errors`` attribute ([(field, message), ...]) reports
        every wrong field of the line. Must not write anything.
        """
        raise NotImplementedError

    def keys(self, values: dict) -> dict[str, Hashable]:
        """The natural keys of a checked line: ``{key name: key}``; a line's key must be unique in the file.

        The default uses the fields declared with ``key=True``, compared as
        stripped lower-case text.
        """
        found = {}
        for field in self.fields:
            if field.key and values.get(field.name) not in (None, ""):
                found[field.name] = str(values[field.name]).strip().lower()
        return found

    def key_label(self, key: str) -> str:
        """How to name a key in messages (default: the field's label)."""
        try:
            return self.field(key).label
        except KeyError:
            return key

    def find_existing(self, session: Session, key: str, values: set) -> dict[Hashable, str]:
        """Which of ``values`` of key ``key`` already exist: ``{key: label of the existing record}``.

        Lines whose key exists are skipped (not created again): this is what
        makes re-running the same file create nothing twice.
        """
        return {}

    def find_imported(self, session: Session, hashes: set[str]) -> dict[str, str]:
        """Which line hashes were stored by earlier imports: ``{hash: label}`` (for lines without a key)."""
        return {}

    def warnings(self, session: Session, line: int, values: dict) -> Iterable[tuple[str | None, object]]:
        """Doubts about a checked line that do not stop the import: ``(field or None, message)`` pairs."""
        return ()

    def describe(self, values: dict) -> str:
        """A short label of a line for the preview (default: the ``name`` value)."""
        return str(values.get("name") or "")

    def priority(self, values: dict) -> int:
        """Lines are created in ascending priority, then file order (e.g. companies before their people)."""
        return 0

    def create(self, session: Session, values: dict, line_hash: str):
        """Create the record of one checked line through the model's services; do not commit."""
        raise NotImplementedError

    def create_lines(self, session: Session, lines: list) -> None:
        """Create the records of a chunk's new lines (:class:`~core.imports.ImportLine`), in order.

        The default calls :meth:`create` for each; a spec writing a chunk
        set-wise overrides it. A :class:`LineError` names the line that failed.
        """
        for item in lines:
            try:
                self.create(session, item.values, item.hash)
            except LineError:
                raise
            except ValidationError as error:
                raise LineError(item.line, error) from None

    def finish(self, session: Session) -> None:
        """Called after the last chunk was created, when nothing failed: create what waited for later lines."""

    def deferred_lines(self) -> set[int]:
        """The lines of the chunks created so far that wait for :meth:`finish` (none by default)."""
        return set()


# --- conversions ---------------------------------------------------------------------------


def read_text(text: str) -> str:
    return " ".join(text.split()) if "\n" not in text else text.strip()


def read_bool(text: str) -> bool:
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(_l("%(value)s is not yes or no.", value=text))


def read_int(text: str) -> int:
    cleaned = text.strip().replace(" ", "")
    if re.fullmatch(r"[+-]?\d{1,3}([.,']\d{3})+", cleaned):
        cleaned = re.sub(r"[.,']", "", cleaned)
    try:
        return int(cleaned)
    except ValueError:
        raise ValueError(_l("%(value)s is not a whole number.", value=text)) from None


def read_decimal(text: str) -> Decimal:
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").replace("'", "")
    for symbol in ("€", "$", "£"):
        cleaned = cleaned.replace(symbol, "")
    if "," in cleaned and "." in cleaned:
        thousands, decimal = (".", ",") if cleaned.rfind(",") > cleaned.rfind(".") else (",", ".")
        cleaned = cleaned.replace(thousands, "").replace(decimal, ".")
    elif cleaned.count(",") == 1:
        cleaned = cleaned.replace(",", ".")
    elif cleaned.count(",") > 1:
        cleaned = cleaned.replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(_l("%(value)s is not a number.", value=text)) from None
    if not value.is_finite():
        raise ValueError(_l("%(value)s is not a number.", value=text))
    return value


def read_date(text: str) -> dt.date:
    cleaned = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T].*", cleaned):
        cleaned = cleaned[:10]
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    raise ValueError(_l("%(value)s is not a date: write it as 2024-12-31 or 31/12/2024.", value=text))


def read_list(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;|]", text) if part.strip()]


#: the import kind that reads each field-layer kind from a cell
FIELD_KINDS = {"bool": "bool", "int": "int", "decimal": "decimal", "date": "date", "many2many": "list"}


def _choice_reader(found) -> Callable[[str], object]:
    def read(text: str):
        wanted = " ".join(text.split()).casefold()
        for value, label in found.choices:
            if wanted in (str(value).casefold(), str(label).casefold()):
                return value
        allowed = ", ".join(str(label) for _value, label in found.choices)
        raise ValueError(_l("%(value)s is not one of the choices: %(allowed)s.", value=text, allowed=allowed))

    return read


CONVERTERS = {
    "text": read_text,
    "bool": read_bool,
    "int": read_int,
    "decimal": read_decimal,
    "date": read_date,
    "list": read_list,
}
