"""The import every generic view gets: its fields, cleaned by the field layer, saved by the view.

A view's :meth:`~core.web.views.ModelView.import_spec` returns a
:class:`ModelImport` unless the addon has a richer one (the partners' import
matches existing partners and tax ids). The importable fields are the form's
fields that a cell can hold (text, numbers, dates, yes/no, choices, and a
related record written by its name) and a new record may take (not the
read-only ones), including the fields other addons add to the model, so a new
column is importable with nothing else to write.
"""
from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.errors import ValidationError
from core.fields import clean, name_column, split_values

from .spec import ImportField, ImportSpec

#: line hashes per query, below every supported database's limit of bound parameters
HASHES_PER_QUERY = 2000
IMPORTABLE_KINDS = frozenset({"text", "longtext", "int", "decimal", "bool", "date", "choice", "many2one"})


class RelatedNames:
    """The records a file names in its many-to-one columns, looked up once per file (by name, as the user may
    read them), then put in place of the names, line by line."""

    def __init__(self, fields: dict):
        self.fields = {name: found for name, found in fields.items() if found.kind == "many2one"}
        self.names: dict[str, dict[str, int]] = {}

    def prepare(self, session: Session, rows: list[dict]) -> None:
        for name, found in self.fields.items():
            wanted = {str(row[name]).strip().casefold() for row in rows if row.get(name)}
            label = name_column(found.target)
            if not wanted or label is None:
                self.names[name] = {}
                continue
            statement = select(found.target.id, label).where(func.lower(label).in_(wanted))
            self.names[name] = {str(text).casefold(): record_id for record_id, text in session.execute(statement)}

    def resolve(self, values: dict) -> dict[str, str]:
        """Put each named record's id in ``values``; returns the names no record has, by field."""
        problems = {}
        for name, found in self.fields.items():
            if values.get(name):
                record_id = self.names.get(name, {}).get(str(values[name]).strip().casefold())
                if record_id is None:
                    problems[name] = _unknown(found)
                values[name] = record_id
        return problems


def imported_lines(session: Session, model: type, company_id: int, hashes: set[str]) -> dict[str, str]:
    """Which of ``hashes`` earlier imports stored on ``model`` records of the company that the session's user may
    read: ``{hash: record name}``.

    Found through the index on the hash. SQLite's planner, without
    statistics, would rather walk an index on the company (a condition on the
    company, the user's rules have one too) and read every record of the
    company once per chunk of a file; so the company is compared as
    ``company_id + 0``, which no index serves, and the query is Core SQL, with
    the user's read rules applied as :mod:`core.bulk` applies them: in Python
    when the allowed companies are the only rule, else by one more query on
    the ids found.
    """
    actor, registry = session.info.get("actor"), session.info.get("registry")
    check = None
    if actor is not None:
        registry.require(actor, model, "read")
        check = registry.rule_check(actor, model, "read")
        if check.companies is not None and company_id not in check.companies:
            return {}
    table = model.__table__
    connection = session.connection()
    found, wanted = {}, sorted(hashes)
    for start in range(0, len(wanted), HASHES_PER_QUERY):
        statement = select(table.c.id, table.c.import_hash, table.c.name).where(
            table.c.import_hash.in_(wanted[start:start + HASHES_PER_QUERY]), table.c.company_id + 0 == company_id)
        rows = connection.execute(statement).all()
        if rows and check is not None and check.clause is not None and check.companies is None:
            readable = set(connection.execute(select(table.c.id).where(
                table.c.id.in_([row.id for row in rows]), check.clause)).scalars())
            rows = [row for row in rows if row.id in readable]
        for _id, digest, name in rows:
            found.setdefault(digest, name)
    return found


def clean_extensions(session: Session, added: dict) -> dict[str, str]:
    """The problems of the values an import gives to extension fields (``split_values``' second part)."""
    errors = {}
    for extension, part in added.items():
        try:
            clean(extension.side, part, session=session, creating=False)
        except ValidationError as error:
            errors.update(error.errors)
    return errors


class ModelImport(ImportSpec):
    """An import into ``view``'s model, acting as ``actor``, created through ``view.save``."""

    def __init__(self, view, registry, actor):
        self.view, self.registry, self.actor = view, registry, actor
        self.name = view.slug
        self.model = view.model
        self.by_field = {name: found for name, found in view.fields().items()
                         if name in view.form_fields and found.kind in IMPORTABLE_KINDS and not found.is_readonly(None)}
        self.fields = tuple(ImportField.from_field(found) for found in self.by_field.values())
        self.related = RelatedNames(self.by_field)

    def prepare(self, session: Session, rows: list[dict]) -> None:
        self.related.prepare(session, rows)

    def validate(self, session: Session, values: dict) -> dict:
        values = dict(values)
        problems = self.related.resolve(values)
        own, added = split_values(self.registry, self.model, values)
        errors = {}
        try:
            clean(self.model, own, session=session, creating=True)
        except ValidationError as error:
            errors.update(error.errors)
        errors.update(clean_extensions(session, added))
        errors.update(problems)
        if errors:
            first = next(iter(errors))
            raise ValidationError(errors[first], first, errors)
        return values

    def create(self, session: Session, values: dict, line_hash: str):
        return self.view.save(session, self.actor, None, values)


def _unknown(found) -> str:
    return gettext("No %(what)s has this name, or you may not use it.", what=str(found.label).lower())
