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
