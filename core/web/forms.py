"""WTForms built from model metadata, for the generic form view.

Each column named in a view's ``form_fields`` becomes a field of the matching
type, with ``required`` from nullability and ``max length`` from the column;
a foreign key becomes a searchable select whose value must be a record the
user may read; a many-to-many relationship becomes a list of checkboxes. A
view can replace any field by overriding :meth:`ModelView.form_class`.
"""
from __future__ import annotations

import json

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, Numeric, String, Text, inspect, select
from sqlalchemy.orm import RelationshipProperty
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    DecimalField,
    Field,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from core import bounds
from core.errors import ValidationError as DomainError

TEXT_MAX_LENGTH = 20_000


def strip(value):
    return value.strip() if isinstance(value, str) else value


class SearchSelectWidget:
    """A ``<select>`` holding the current choice; bottega.js turns it into a search box."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        current = ""
        if field.data is not None:
            current = f'<option value="{field.data}" selected>{escape(field.current_label or "")}</option>'
        attrs = {"name": field.name, "data-options-url": field.options_url, "class": "search-select",
                 "data-placeholder": str(_l("Search…"))}
        attrs.update(kwargs)
        rendered = " ".join(f'{k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items() if v is not None)
        none = gettext("— none —")
        empty = f'<option value="">{escape(none)}</option>'
        return Markup(f"<select {rendered}>{empty}{current}</select>")


class RecordField(Field):
    """A many-to-one choice: the id of a record of ``target`` the user may read."""

    widget = SearchSelectWidget()

    def __init__(self, label=None, validators=None, target=None, options_url="", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.target = target
        self.options_url = options_url
        self.current_label = None

    def process_formdata(self, valuelist):
        raw = valuelist[0].strip() if valuelist else ""
        self.data = None
        if not raw:
            return
        try:
            self.data = bounds.parse_id(raw, self.name, inspect(self.target).primary_key[0])
        except DomainError:
            raise ValueError(_l("Not a valid choice.")) from None

    def pre_validate(self, form):
        if self.data is None:
            return
        record = form.session.get(self.target, self.data)
        if record is None:
            raise ValidationError(_l("This record does not exist or you may not use it."))
        self.current_label = display_name(record)


class CheckboxListField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def process_data(self, value):
        """The record's related objects (when editing) become the ids the checkboxes carry."""
        self.data = [getattr(item, "id", item) for item in value or ()]

    def process_formdata(self, valuelist):
        self.data = []
        for value in valuelist:
            try:
                self.data.append(bounds.parse_id(value, self.name))
            except DomainError:
                raise ValueError(_l("Not a valid choice.")) from None

    def pre_validate(self, form):
        allowed = {choice.value for choice in self.choices}
        if any(value not in allowed for value in self.data or ()):
            raise ValidationError(_l("Not a valid choice."))


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


def display_name(record) -> str:
    for attribute in ("display_name", "name", "login", "key"):
        value = getattr(record, attribute, None)
        if isinstance(value, str) and value:
            return value
    return f"#{inspect(record).identity[0]}"


def build_form_class(view, session, registry) -> type[ModelForm]:
    mapper = inspect(view.model)
    attributes = {}
    for name in view.form_fields:
        label = view.label_of(name)
        prop = mapper.attrs[name]
        if isinstance(prop, RelationshipProperty):
            target = prop.mapper.class_
            rows = session.scalars(select(target).order_by(*target.__mapper__.primary_key)).all()
            attributes[name] = CheckboxListField(label, choices=select_choices((r.id, display_name(r)) for r in rows),
                                                 coerce=int)
            continue
        column = prop.columns[0]
        attributes[name] = _column_field(view, column, label, registry)
    attributes["session"] = session
    return type(f"{view.model.__name__}Form", (ModelForm,), attributes)


def _column_field(view, column, label, registry) -> Field:
    required = not column.nullable and column.default is None and column.server_default is None
    presence = [InputRequired()] if required else [Optional()]
    text_presence = [DataRequired()] if required else [Optional()]  # "   " is no name
    choices = column.info.get("choices")
    if choices:
        options = list(choices) if required else [("", ""), *choices]
        return SelectField(label, choices=select_choices(options), validators=presence)
    if column.foreign_keys:
        fk = next(iter(column.foreign_keys))
        target = registry.model_of_table(fk.column.table.name)
        from flask import url_for

        return RecordField(label, presence, target=target,
                           options_url=url_for("web.options", table=fk.column.table.name))
    kind = column.type
    if isinstance(kind, JSON):
        return JSONField(label, [Length(max=TEXT_MAX_LENGTH)])
    if isinstance(kind, Boolean):
        return BooleanField(label)
    if isinstance(kind, Integer):
        low, high = bounds.integer_range(kind)
        return IntegerField(label, presence + [NumberRange(min=low, max=high)])
    if isinstance(kind, Numeric):
        largest = bounds.largest_decimal(kind)
        return DecimalField(label, presence + [NumberRange(min=-largest, max=largest)],
                            places=bounds.decimal_digits(kind)[1])
    if isinstance(kind, DateTime):
        return DateTimeLocalField(label, presence + [within_dates], format="%Y-%m-%dT%H:%M")
    if isinstance(kind, Date):
        return DateField(label, presence + [within_dates])
    if isinstance(kind, Text) or (isinstance(kind, String) and kind.length is None):
        return TextAreaField(label, text_presence + [Length(max=TEXT_MAX_LENGTH)], filters=[strip])
    return StringField(label, text_presence + [Length(max=kind.length)], filters=[strip])


def form_values(form: ModelForm) -> dict:
    """The submitted values of every field (a view's extra fields too), strings stripped, empty as None."""
    values = {}
    for field in form:
        if field.name == "csrf_token":
            continue
        name, value = field.name, field.data
        if isinstance(value, str):
            value = value.strip() or None
        values[name] = value
    return values

