"""Form inputs that pick: related records, countries, dates in the user's locale.

Every picker is a plain ``<select>`` (or, for dates, a text box) that works
without JavaScript; ``static/pickers.js`` turns a ``select[data-picker]`` into
an ARIA combobox (type to filter, arrows and Enter to pick, Escape to close,
Backspace to drop the last chip of a many relation). A picker of records asks
``web.options`` for matches as the user types, through the user's session, so
record rules, companies and the field's domain decide what is offered; the
value submitted is checked again (:class:`RecordField` and the field layer),
so a crafted id of a record the user may not read is refused.

Where the user may create the target model, the combobox offers "Create and
edit…" (the target's new form, in a window that hands the new record back)
and, where a name is enough, a quick create by name (:func:`quick_create`).
"""
from __future__ import annotations

import datetime as dt
from functools import cache

from flask import url_for
from flask_babel import get_locale, get_timezone, gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import inspect, select
from wtforms import Field, SelectField, SelectMultipleField
from wtforms.validators import ValidationError
from wtforms.widgets import TextInput

from core import bounds, locale_dates
from core.errors import ValidationError as DomainError
from core.fields import fields_of, name_column
from core.fields.formats import FormatProblem, check, country_names, fold
from core.web.links import views_by_model

#: records a picker's plain ``<select>`` holds for a browser without JavaScript
FALLBACK_LIMIT = 50


def display_name(record) -> str:
    for attribute in ("display_name", "name", "login", "key"):
        value = getattr(record, attribute, None)
        if isinstance(value, str) and value:
            return value
    return f"#{inspect(record).identity[0]}"


def _attributes(attrs: dict) -> str:
    return " ".join(f'{key.replace("_", "-")}="{escape(value)}"' if value is not True else key.replace("_", "-")
                     for key, value in attrs.items() if value is not None and value is not False)


class PickerWidget:
    """A ``<select>`` marked ``data-picker``: its options, the words each answers to, and what the combobox says."""

    def __init__(self, multiple: bool = False):
        self.multiple = multiple

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        attrs = {"name": field.name, "multiple": self.multiple, "data-picker": True,
                 "data-options-url": getattr(field, "options_url", None) or None,
                 **picker_texts(), **getattr(field, "picker_links", {}), **kwargs}
        options = []
        if not self.multiple:
            options.append(f'<option value="">{escape(gettext("— none —"))}</option>')
        for value, label, selected, words in field.picker_options():
            search = f' data-search="{escape(words)}"' if words else ""
            options.append(f'<option value="{escape(value)}"{" selected" if selected else ""}{search}>'
                           f'{escape(label)}</option>')
        return Markup(f"<select {_attributes(attrs)}>{''.join(options)}</select>")


def picker_texts() -> dict:
    """What the combobox says, translated here (the script has no catalogue)."""
    return {"data-text-search": gettext("Search…"), "data-text-empty": gettext("Nothing matches."),
            "data-text-create": gettext("Create “%(name)s”", name="%s"),
            "data-text-create-edit": gettext("Create and edit…"), "data-text-remove": gettext("Remove %(name)s",
                                                                                              name="%s")}


class RecordField(Field):
    """A many-to-one choice: the id of a record of ``target`` the user may read (and the field's domain allows)."""

    widget = PickerWidget()

    def __init__(self, label=None, validators=None, target=None, options_url="", session=None, domain=None,
                 picker_links=None, domain_message=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.target, self.options_url, self.session, self.domain = target, options_url, session, domain
        self.domain_message = domain_message
        self.picker_links = picker_links or {}
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
        """A record the user may not read (or that does not exist) gets the generic message; one they may read
        that the field's domain excludes gets the field's own domain message, which says what it must be."""
        if self.data is None:
            return
        record = form.session.scalars(select(self.target).where(self.target.id == self.data)).first()
        if record is None:
            self.current_label = ""
            raise ValidationError(_l("This record does not exist or you may not use it."))
        self.current_label = display_name(record)
        if self.domain is not None and form.session.scalars(select(self.target.id).where(
                self.target.id == self.data, self.domain(form.session.info.get("actor")))).first() is None:
            raise ValidationError(str(self.domain_message or _l("This record does not exist or you may not use it.")))

    def picker_options(self):
        """The chosen record, then the first records the user may pick (for a browser without JavaScript)."""
        chosen = []
        if self.data is not None:
            if self.current_label is None and self.session is not None:
                record = self.session.get(self.target, self.data)
                self.current_label = display_name(record) if record is not None else ""
            chosen = [(self.data, self.current_label or f"#{self.data}", True, "")]
        registry, actor = (self.session.info.get("registry"), self.session.info.get("actor")) if self.session else (
            None, None)
        if registry is None or not registry.can(actor, self.target, "read"):
            return chosen  # the combobox will say so (the options answer 403); the form is still shown
        rows = self.session.scalars(_options_statement(self.target, self.domain, actor, "")
                                    .limit(FALLBACK_LIMIT)).all()
        return chosen + [(row.id, display_name(row), False, "") for row in rows if row.id != self.data]


class ChoicesPickerField(SelectMultipleField):
    """Several records from a list of ids (a line's taxes): chips in the combobox, a multiple select without it."""

    widget = PickerWidget(multiple=True)

    def __init__(self, label=None, validators=None, options_url="", picker_links=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.options_url, self.picker_links = options_url, picker_links or {}

    def process_data(self, value):
        """The record's related objects (when editing) become the ids the options carry."""
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

    def picker_options(self):
        chosen = set(self.data or ())
        return [(choice.value, choice.label, choice.value in chosen, "") for choice in self.choices]


class CountryField(SelectField):
    """A country, stored as its ISO 3166 alpha-2 code; listed by its name in the user's language, and found by
    its name in English, Spanish or Italian too (the combobox searches all three)."""

    widget = PickerWidget()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, choices=[], **kwargs)

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if raw:
            try:
                self.data = check("country", raw)  # a crafted "Spain" is read as ES too; "SP" is refused
            except FormatProblem as problem:
                raise ValueError(str(problem)) from None

    def pre_validate(self, form):
        """Any code the country format knows is a choice (the list is built from the same data)."""

    def picker_options(self):
        language = str(get_locale() or "en")
        return [(code, name, code == self.data, words) for code, name, words in _country_options(language)]


@cache
def _country_options(language: str) -> tuple[tuple[str, str, str], ...]:
    """(code, name in ``language``, every name and the code) for each country, sorted by the shown name."""
    from babel import Locale

    names = country_names()
    shown = Locale(language).territories
    rows = [(code, shown.get(code, code), " ".join(dict.fromkeys([code, *spelled]))) for code, spelled in names.items()]
    return tuple(sorted(rows, key=lambda row: fold(row[1])))


def date_attributes(locale: str) -> dict[str, str]:
    """What makes a text input a date input in ``locale``'s form, with its calendar button (``pickers.js``)."""
    return {"data-date-pattern": locale_dates.date_pattern(locale), "data-text-calendar": gettext("Open the calendar"),
            "placeholder": locale_dates.format_date(dt.date(2026, 12, 31), locale), "inputmode": "numeric",
            "autocomplete": "off"}


def date_input(name: str, value: dt.date | str | None, **attributes) -> Markup:
    """A filter's date input (a template global): ``value`` written as the user's language writes dates,
    or as the user typed it when it was not one, empty when it is none (or undefined in the template);
    ``attributes`` (``id``, ``required``...) as given."""
    locale = str(get_locale() or "en")
    shown = value if isinstance(value, str) else locale_dates.format_date(value or None, locale)
    every = {"type": "text", "name": name, "value": shown, **date_attributes(locale),
             **{key.rstrip("_"): item for key, item in attributes.items()}}
    written = " ".join(escape(key) if item is True else Markup('{}="{}"').format(key, item)
                       for key, item in every.items() if item is not False and item is not None)
    return Markup(f"<input {written}>")


class LocaleDateField(Field):
    """A date typed as the user's language writes it (31/12/2026 in es and it, 12/31/2026 in en), or ISO;
    a button next to it opens the browser's calendar (``pickers.js``)."""

    widget = TextInput()

    def _locale(self) -> str:
        return str(get_locale() or "en")

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return locale_dates.format_date(self.data, self._locale())

    def __call__(self, **kwargs):
        for name, value in date_attributes(self._locale()).items():
            kwargs.setdefault(name, value)
        return super().__call__(**kwargs)

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if raw:
            try:
                self.data = locale_dates.parse_date(raw, self._locale())
            except locale_dates.DateProblem:
                raise ValueError(gettext("%(value)s is not a date: write it as %(example)s.", value=raw[:20],
                                         example=locale_dates.format_date(dt.date(2026, 12, 31),
                                                                          self._locale()))) from None


class LocaleDateTimeField(LocaleDateField):
    """A date and time typed as the user's language writes it, in the user's time zone; kept as naive UTC."""

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return locale_dates.format_datetime(self.data, self._locale(), get_timezone())

    def __call__(self, **kwargs):
        kwargs.setdefault("data-date-pattern", locale_dates.datetime_pattern(self._locale()))
        kwargs.setdefault("placeholder", locale_dates.format_date(dt.date(2026, 12, 31), self._locale()) + " 14:30")
        kwargs.setdefault("inputmode", "text")
        return super().__call__(**kwargs)

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if raw:
            try:
                self.data = locale_dates.parse_datetime(raw, self._locale(), get_timezone())
            except locale_dates.DateProblem:
                example = locale_dates.format_date(dt.date(2026, 12, 31), self._locale()) + " 14:30"
                raise ValueError(gettext("%(value)s is not a date and time: write it as %(example)s.",
                                         value=raw[:30], example=example)) from None


# --- what the combobox asks the server -------------------------------------------------------------------


def _options_statement(target, domain, actor, text: str):
    """The records of ``target`` matching ``text`` by name, that the domain allows, in name order (the
    session's user's record rules and companies apply when it runs)."""
    statement = select(target)
    if domain is not None:
        statement = statement.where(domain(actor))
    column = name_column(target)
    if column is not None:
        if text:
            escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            statement = statement.where(column.ilike(f"%{escaped}%", escape="\\"))
        statement = statement.order_by(column, target.id)
    return statement.order_by(target.id) if column is None else statement


def matching_records(session, field, actor, text: str, ids: list[int], limit: int) -> list:
    """What the options endpoint answers: the records named by ``ids`` (to show chosen ones), or those whose
    name contains ``text``; either way only those the session's user may read and the field's domain allows."""
    statement = _options_statement(field.target, field.domain, actor, "" if ids else text)
    if ids:
        statement = statement.where(field.target.id.in_(ids))
    return session.scalars(statement.limit(limit)).all()


def model_view_of(model):
    """The generic view (:class:`core.web.views.ModelView`) that edits ``model`` in this app (the first one
    mounted, when several show it), or None."""
    return next(iter(views_by_model().get(model, ())), None)


def creation_links(field, can_create: bool) -> dict:
    """The combobox's create entries for ``field`` (a relation): the target's new form, and a quick create by
    name where the name is all a new record needs."""
    view = model_view_of(field.target) if can_create else None
    if view is None:
        return {}
    links = {"data-new-url": url_for(view.endpoint("new"))}
    if quick_creatable(field.target):
        links["data-create-url"] = url_for("web.quick_create", table=field.model.__tablename__, field=field.name)
    return links


def quick_creatable(model) -> bool:
    """Whether a record of ``model`` can be made from its name alone (no other required field without a default)."""
    column = name_column(model)
    if column is None:
        return False
    required = {name for name, found in fields_of(model).items()
                if found.required and found.default is None and not found.automatic}
    return required <= {column.key}


def quick_create(session, actor, field, name: str):
    """A new record of ``field``'s target named ``name``, through its view's save (the model's service and
    rules); refused when the new record is not one the field may take (its domain)."""
    view = model_view_of(field.target)
    record = view.save(session, actor, None, {name_column(field.target).key: name})
    if field.domain is not None and session.scalars(
            select(field.target.id).where(field.target.id == record.id, field.domain(actor))).first() is None:
        raise DomainError(str(field.domain_message or _l("This record does not exist or you may not use it.")),
                          field.name)
    return record


def options_json(rows) -> list[dict]:
    return [{"id": row.id, "label": display_name(row)} for row in rows]
