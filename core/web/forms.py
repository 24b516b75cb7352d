"""WTForms built from model metadata, for the generic form view.

Each field named in a view's ``form_fields`` becomes a WTForms field of the
matching kind, with label, help, required, length, choices and bounds read
from the field layer (:mod:`core.fields`); relations, countries and dates
become the pickers of :mod:`core.web.pickers` (a many-to-one field's value
must be a record the user may read; a many-to-many field is a set of chips;
dates are typed in the user's locale); a read-only field is shown disabled and
not submitted. A view can replace any field by overriding
:meth:`ModelView.form_class`. The same values are cleaned again by the field
layer when saved, so a hand-made POST meets the same rules.
"""
from __future__ import annotations

import json

from flask_babel import gettext
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, DecimalField, Field, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from core import bounds
from core.fields.resolve import MAX_TEXT

from .pickers import (  # noqa: F401 (RecordField, display_name: imported from here by views and addons)
    ChoicesPickerField,
    CountryField,
    LocaleDateField,
    LocaleDateTimeField,
    RecordField,
    creation_links,
    display_name,
)


def strip(value):
    return value.strip() if isinstance(value, str) else value


def within_dates(_form, field) -> None:
    """A WTForms validator: the date is one a record may hold (:data:`core.bounds.DATE_RANGE`)."""
    found = bounds.date_problem(field.data) if field.data is not None else None
    if found is not None:
        raise ValidationError(found)


def select_choices(pairs) -> list[SelectChoice]:
    """WTForms choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


class JSONField(TextAreaField):
    """A JSON object typed as text; the form value is the parsed dict."""

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return json.dumps(self.data or {}, ensure_ascii=False, indent=1)

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip() or "{}"
        try:
            self.data = json.loads(raw)
        except ValueError as error:
            self.data = None
            raise ValueError(gettext("Not valid JSON: %(reason)s", reason=str(error))) from None
        if not isinstance(self.data, dict):
            self.data = None
            raise ValueError(gettext("Write a JSON object, between { and }."))


class ModelForm(FlaskForm):
    """Base of generated forms: knows the session used to check related records."""

    session = None


def build_form_class(view, session, record=None) -> type[ModelForm]:
    """A form class with one field per name in ``view.form_fields``, read from the field layer."""
    fields = view.fields()
    attributes = {name: form_field(fields[name], session, record, view.label_of(name)) for name in view.form_fields}
    attributes["session"] = session
    return type(f"{view.model.__name__}Form", (ModelForm,), attributes)


def form_field(found, session, record=None, label=None) -> Field:
    """The WTForms field for a field-layer :class:`~core.fields.Field` (disabled when read-only)."""
    presence = [InputRequired()] if found.required else [Optional()]
    options = {"description": found.help or "", "render_kw": {"disabled": True} if found.is_readonly(record) else {},
               "default": found.default}
    label = label or found.label
    if found.kind == "choice":
        choices = list(found.choices) if found.required else [("", ""), *found.choices]
        return SelectField(label, choices=select_choices(choices), validators=presence, **options)
    from flask import url_for

    if found.kind == "many2one":
        return RecordField(label, presence, target=found.target, session=session, domain=found.domain,
                           domain_message=found.domain_message, options_url=url_for("web.options", table=found.model.__tablename__, field=found.name),
                           picker_links=_creation_links(found, session), **options)
    if found.kind == "many2many":
        statement = select(found.target).order_by(*found.target.__mapper__.primary_key)
        if found.domain is not None:
            statement = statement.where(found.domain(session.info.get("actor")))
        rows = session.scalars(statement).all()
        return ChoicesPickerField(label, choices=select_choices((r.id, display_name(r)) for r in rows), coerce=int,
                                  options_url=url_for("web.options", table=found.model.__tablename__, field=found.name),
                                  picker_links=_creation_links(found, session), **options)
    if found.kind == "json":
        return JSONField(label, [Length(max=MAX_TEXT)], **options)
    if found.kind == "bool":
        return BooleanField(label, **options)
    column_type = found.column.type
    if found.kind == "int":
        low, high = bounds.integer_range(column_type)
        low = max(low, found.minimum) if found.minimum is not None else low
        high = min(high, found.maximum) if found.maximum is not None else high
        return IntegerField(label, presence + [NumberRange(min=low, max=high)], **options)
    if found.kind == "decimal":
        largest = bounds.largest_decimal(column_type)
        low = found.minimum if found.minimum is not None else -largest
        high = found.maximum if found.maximum is not None else largest
        return DecimalField(label, presence + [NumberRange(min=low, max=high)], places=found.places, **options)
    if found.kind == "datetime":
        return LocaleDateTimeField(label, presence + [within_dates], **options)
    if found.kind == "date":
        return LocaleDateField(label, presence + [within_dates], **options)
    if found.format == "country":
        return CountryField(label, presence, **options)
    text_presence = [DataRequired()] if found.required else [Optional()]  # "   " is no name
    # a format normalises what is typed ("Spain" is stored as ES): the field layer checks the stored length
    length = [Length(max=MAX_TEXT if found.format else found.length)]
    if found.kind == "longtext" or found.widget == "textarea":
        return TextAreaField(label, text_presence + length, filters=[strip], **options)
    return StringField(label, text_presence + length, filters=[strip], **options)


def _creation_links(found, session) -> dict:
    from .context import current_registry

    actor = session.info.get("actor")
    return creation_links(found, actor is not None and current_registry().can(actor, found.target, "create"))


def form_values(form: ModelForm) -> dict:
    """The submitted values of every enabled field (a view's extra fields too), strings stripped, empty as None."""
    values = {}
    for field in form:
        if field.name == "csrf_token" or (field.render_kw or {}).get("disabled"):
            continue
        name, value = field.name, field.data
        if isinstance(value, str):
            value = value.strip() or None
        values[name] = value
    return values

