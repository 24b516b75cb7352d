"""Generic views from model metadata: list, record, form, delete, export, kanban.

An addon describes a model's UI with a :class:`ModelView` (a few lines) and
returns it from ``register_views``; the core mounts the routes. Every read
and write goes through the request's actor session, so model access and
record rules apply, and saving goes through :meth:`ModelView.create` /
:meth:`ModelView.update`, which an addon overrides to call its services.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal

from flask import abort, flash, g, has_request_context, jsonify, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import format_date, format_datetime, format_decimal, gettext
from sqlalchemy import Boolean, String, Text, func, inspect, or_, select
from sqlalchemy.orm import RelationshipProperty, object_session, selectinload
from werkzeug.datastructures import MultiDict

from core.bounds import fits_id
from core.models import SavedFilter
from core.fields import (Field, clean, clean_one, extension_values, extensions_of, fields_of, save_extension_values,
                         split_values)
from core.fields.cleaning import Problem

from .actions import run_service
from . import analysis_pages, import_pages, saved_filter_pages
from .context import can, current_actor, current_registry, db, record_or_404, require
from .export_tasks import QUEUED_ROWS, export_table, queue_export
from .exports import EXPORT_FORMATS, export_response
from .forms import RecordField, build_form_class, display_name, form_values
from .analysis import Analysis
from .chatter import record_chatter
from .i18n import country_name, money, record_currency
from .inputs import ACCEPTS_JSON_ATTRIBUTE, accepts_json, json_object
from .kanban import card_fields, column_totals, company_currency
from .links import record_url
from .smart_buttons import smart_buttons
from .status_bar import status_bar
from .paging import MAX_PAGE, read_page
from .previews import preview_view

KANBAN_LIMIT = 1000
#: the form field an edit in place sends: a refused save shows the record page again, not the edit page
IN_PLACE = "_in_place"
#: the most rows a list action takes at once (a list page shows ``page_size``)
MAX_SELECTED = 500
#: the kinds of field a list can be narrowed by (``?by.<field>=<value>``)
FILTER_KINDS = frozenset({"choice", "bool", "many2one"})


@dataclass(frozen=True)
class Filter:
    """A named list filter: ``where(actor)`` returns the condition rows must meet."""

    key: str
    label: str
    where: Callable


@dataclass(frozen=True)
class ListAction:
    """A button above a list that runs a batch service on the rows the user ticked.

    ``run(session, actor, records)`` gets the ticked records as the user may
    see them (the service checks the rest: access, record rules, its own
    rules, all or nothing); ``done(count)`` is the message once it succeeded.
    """

    key: str
    label: str
    run: Callable
    done: Callable


@dataclass
class ListParams:
    q: str
    filters: tuple[str, ...]
    sort: str
    descending: bool
    page: int
    by: dict = dataclass_field(default_factory=dict)
    after: int | None = None  # keyset paging: the page starts past this row (core.web.paging)
    before: int | None = None  # ... or ends before it
    analysis: Analysis = dataclass_field(default_factory=Analysis)  # conditions, group-by, measure, chart

    saved: SavedFilter | None = None  # the saved filter applied (core.web.saved_filter_pages)

    @classmethod
    def from_request(cls, view: ModelView) -> ListParams:
        """The list's arguments, or those of the saved filter it asks for (``saved=``, or the user's default); a
        saved filter that cannot be applied as a whole (a field its viewer may no longer read) is not applied."""
        saved, args, problems = saved_filter_pages.saved_args(view, request.args)
        params = cls.from_args(view, args)
        if saved is not None and params.problems:
            params = cls.from_args(view, MultiDict())
            problems = [saved_filter_pages.refusal(saved, params.problems)]
            saved = None
        params.saved = saved
        params.problems.extend(problems)
        return params

    @classmethod
    def from_args(cls, view: ModelView, args) -> ListParams:
        sort = args.get("sort", view.default_order)
        if sort not in view.sortable:
            sort = view.default_order
        page = min(max(1, _integer(args.get("page")) or 1), MAX_PAGE)
        known = {f.key for f in view.filters}
        filters = tuple(key for key in args.getlist("filter") if key in known)
        after = _row_id(view, args.get("after"))
        return cls(args.get("q", "").strip()[:200], filters, sort, args.get("dir") == "desc", page,
                   _field_filters(view, args), after, None if after else _row_id(view, args.get("before")),
                   Analysis.from_args(view, args))

    @property
    def problems(self) -> list[str]:
        return self.analysis.problems

    def query_args(self, **changes) -> dict:
        values = {"q": self.q or None, "filter": list(self.filters) or None, "sort": self.sort,
                  "dir": "desc" if self.descending else None, "page": self.page if self.page > 1 else None,
                  **self.analysis.query_args()}
        values.update({f"by.{name}": _query_value(value) for name, value in self.by.items()})
        values.update(changes)
        return {k: v for k, v in values.items() if v is not None}


def _integer(raw: str | None) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


def _row_id(view: ModelView, raw: str | None) -> int | None:
    """``raw`` as an id of the view's model, or None."""
    value = _integer(raw)
    return value if value is not None and fits_id(inspect(view.model).primary_key[0], value) else None


def _field_filters(view: ModelView, args) -> dict:
    """``by.<field>=<value>`` arguments on the view's filterable fields, cleaned; a value that is none is ignored."""
    found = {}
    for name, spec in view.filterable_fields().items():
        raw = args.get(f"by.{name}", "")
        if raw:
            try:
                value = clean_one(spec, raw[:100])
            except Problem:
                continue
            if value is not None:
                found[name] = value
    return found


def _query_value(value) -> str:
    return ("1" if value else "0") if isinstance(value, bool) else str(value)


class ModelView:
    """The UI of one model. Subclass it to customise; instances are cheap and stateless."""

    list_template = "core/list.html"
    record_template = "core/record.html"
    form_template = "core/form.html"
    kanban_template = "core/kanban.html"
    #: the record page's history under the record rather than beside it: for documents whose lines table
    #: needs the page's whole width (a quotation's lines with their margins and quantities)
    history_below = False
    page_size = 50
    #: the list counts its rows up to this many, then says "10,000+" (a text search, whose every row is a
    #: pattern match, up to ``search_count_limit``): see core.web.paging
    count_limit = 10_000
    search_count_limit = 1_000
    #: whether the list offers an import page (``/<slug>/import``); records only services write say False
    importable = True
    #: what the list offers to do with the ticked rows, to users who may write the model
    list_actions: tuple[ListAction, ...] = ()
    #: the money field whose sum each kanban column's header shows (with the count), in the company's currency
    kanban_sum: str | None = None
    #: the fields a kanban card shows under its title (None: the list's second and third columns)
    kanban_fields: tuple[str, ...] | None = None
    #: whether the form shows its totals live (``/preview``): such a view implements :meth:`preview`
    previews = False
    #: whether those totals have taxes (an invoice, a quotation) or are one total (a purchase request)
    taxed_totals = True
    #: decimal fields shown as money: in the record's ``currency_code`` when it has one, else its company's
    money_fields: tuple[str, ...] = ()
    #: the field whose values the record page's status bar shows in order (None: the kanban's ``stage_field``);
    #: see :mod:`core.web.status_bar`
    status_field: str | None = None

    def __init__(self, model, *, name: str, slug: str, label: str, label_plural: str,
                 list_columns=None, search_fields=("name",), form_fields=None,
                 filters: tuple[Filter, ...] = (),
                 stage_field: str | None = None, default_order: str | None = None, icon: str | None = None):
        self.model = model
        self.name = name
        self.slug = slug
        self.label = label
        self.label_plural = label_plural
        own = fields_of(model)
        self.own_list_columns = tuple(list_columns) if list_columns is not None else (
            tuple(n for n, f in own.items() if f.listed) or ("name",))
        self.search_fields = tuple(search_fields)
        self.own_form_fields = tuple(form_fields) if form_fields is not None else tuple(
            n for n, f in own.items() if not f.automatic and n != "company_id" and f.kind != "binary")
        self.filters = tuple(filters)
        self.stage_field = stage_field
        self.default_order = default_order or next((f for f in self.own_list_columns if f in self.sortable), "id")
        if self.default_order not in inspect(model).column_attrs:
            raise ValueError(f"{model.__name__}: default_order {self.default_order!r} is not a column")
        self.icon = icon
        self.addon: str | None = None

    # --- metadata, from the field layer --------------------------------------------------

    def endpoint(self, action: str) -> str:
        return f"{self.addon}.{self.name}_{action}"

    def extensions(self, *operations: str):
        """The installed addons' extensions of this model whose side records the user may read (and do
        ``operations`` on); none outside a request."""
        if not has_request_context() or current_actor() is None:
            return ()
        return _once_per_request("model_extensions", (self.model, operations),
                                 lambda: extensions_of(current_registry(), self.model, current_actor(), operations))

    def fields(self) -> dict[str, Field]:
        """The model's fields and those the installed addons add to it (that the user may read)."""
        extensions = self.extensions()
        if not extensions:
            return fields_of(self.model)
        return _once_per_request("model_fields", self.model, lambda: {
            **fields_of(self.model), **{name: found for e in extensions for name, found in e.fields.items()}})

    @property
    def form_fields(self) -> tuple[str, ...]:
        """What the form edits: the view's fields, then the extension fields the user may create and write.

        A field that is always read-only (set by services only) is left to the record page.
        """
        added = tuple(name for extension in self.extensions("create", "write") for name in extension.fields)
        fields = self.fields()
        return tuple(name for name in self.own_form_fields + added if fields[name].readonly is not True)

    @property
    def record_fields(self) -> tuple[str, ...]:
        """What the record page shows: the view's fields, then the extension fields the user may read."""
        return self.own_form_fields + tuple(name for extension in self.extensions() for name in extension.fields)

    @property
    def list_columns(self) -> tuple[str, ...]:
        added = tuple(name for extension in self.extensions() for name, f in extension.fields.items() if f.listed)
        return self.own_list_columns + added

    def list_cells(self) -> list[tuple[str, str]]:
        """The list's columns, each with its alignment hint (:func:`column_kind`)."""
        return [(name, column_kind(self.model, name)) for name in self.list_columns]

    def label_of(self, field: str) -> str:
        found = self.fields().get(field)
        if found is not None:
            return str(found.label)
        return gettext(field.removesuffix("_id").replace("_", " ").capitalize())

    def filterable_fields(self) -> dict[str, Field]:
        """The model's own choice, yes/no and many-to-one fields: a list may be narrowed by ``by.<field>``."""
        return {name: found for name, found in fields_of(self.model).items()
                if found.kind in FILTER_KINDS and not found.automatic}

    def filter_choices(self) -> list[tuple[Field, list[tuple[str, str]]]]:
        """The list's drop-down filters: its choice and yes/no columns, with their options."""
        shown = []
        for name, found in self.filterable_fields().items():
            if name not in self.own_list_columns:
                continue
            if found.kind == "bool":
                shown.append((found, [("1", gettext("Yes")), ("0", gettext("No"))]))
            elif found.kind == "choice":
                shown.append((found, [(str(value), str(label)) for value, label in found.choices]))
        return shown

    @property
    def sortable(self) -> set[str]:
        columns = inspect(self.model).column_attrs
        return {name for name in self.own_list_columns if name in columns}

    def is_relationship(self, field: str) -> bool:
        return isinstance(inspect(self.model).attrs.get(field), RelationshipProperty)

    def title(self, record) -> str:
        return display_name(record)

    def shows(self, record) -> bool:
        """Whether ``record`` belongs to this view (a model with several views, e.g. leads and opportunities,
        says which one a record's page is in)."""
        return True

    def link(self, record, field: str) -> str | None:
        """The page of the record ``field`` points to, for a many-to-one field, when the user may read it."""
        found = self.fields().get(field)
        if found is None or found.kind != "many2one":
            return None
        related = self.value(record, field)
        return record_url(related) if hasattr(related, "__table__") else None

    def value(self, record, field: str):
        """The stored value of ``field`` on ``record``, an extension field's from its side row."""
        found = fields_of(self.model).get(field)  # the model's own (no extension may reuse its names)
        if found is None:
            for extension in self.extensions():
                if field in extension.fields:
                    side = object_session(record).get(extension.side, record.id)
                    return getattr(side, field) if side is not None else None
        elif found.kind == "many2one" and field.endswith("_id"):
            related = getattr(record, field.removesuffix("_id"), None)
            if related is not None:
                return related
        return getattr(record, field)

    def display(self, record, field: str) -> str:
        value = self.value(record, field)
        if value is None:
            return ""
        found = fields_of(self.model).get(field) or self.fields().get(field)
        if found is not None and found.kind == "choice":
            return str(found.choice_label(value))
        if isinstance(value, bool):
            return gettext("Yes") if value else gettext("No")
        if isinstance(value, Decimal):
            return money(value, record_currency(record)) if field in self.money_fields else format_decimal(value)
        if hasattr(value, "hour"):
            return format_datetime(value, "short")
        if hasattr(value, "isoformat"):
            return format_date(value)
        if found is not None and found.format == "country":
            return country_name(value)
        if found is not None and found.kind == "json":
            return json.dumps(value, ensure_ascii=False, sort_keys=True)
        if isinstance(value, list):
            return ", ".join(display_name(v) for v in value)
        if hasattr(value, "__table__"):
            return str(getattr(value, found.display)) if found is not None and found.display else display_name(value)
        if found is not None and found.kind == "many2one":
            related = object_session(record).get(found.target, value)
            return display_name(related) if related is not None else f"#{value}"
        return str(value)

    def prefetch(self, session, rows) -> None:
        """Load the side rows of ``rows``' extension fields in one query per extension (no query per row)."""
        shown = [extension for extension in self.extensions()
                 if any(name in self.list_columns for name in extension.fields)]
        if not shown or not rows:
            return
        ids = [row.id for row in rows]
        for extension in shown:
            key = getattr(extension.side, extension.key)
            session.scalars(select(extension.side).where(key.in_(ids))).all()

    # --- data, through the actor session ----------------------------------------------

    def conditions(self, params: ListParams, actor) -> list:
        conditions = []
        if params.q and self.search_fields:  # a list without text to search takes no search
            pattern = "%" + params.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            conditions.append(or_(*(self._search(f, pattern) for f in self.search_fields)))
        by_key = {f.key: f for f in self.filters}
        conditions += [by_key[key].where(actor) for key in params.filters]
        conditions += [getattr(self.model, name) == value for name, value in params.by.items()]
        conditions += [condition.where(self.model) for condition in params.analysis.conditions]
        return conditions

    def _search(self, name: str, pattern: str):
        """``name`` matching ``pattern``; ``partner_id.name`` searches the related partner's name."""
        if "." not in name:
            return getattr(self.model, name).ilike(pattern, escape="\\")
        key, target_field = name.split(".", 1)
        relation = next(rel for rel in inspect(self.model).relationships
                        if [column.key for column in rel.local_columns] == [key])
        target = relation.mapper.class_
        return getattr(self.model, key).in_(
            select(target.id).where(getattr(target, target_field).ilike(pattern, escape="\\")))

    def select_rows(self, params: ListParams, actor):
        """The list's rows in order: the sort column, then the id the same way (the key of keyset paging)."""
        column = getattr(self.model, params.sort)
        order = (column.desc(), self.model.id.desc()) if params.descending else (column.asc(), self.model.id.asc())
        statement = select(self.model).where(*self.conditions(params, actor)).order_by(*order)
        related = [f.removesuffix("_id") if f.endswith("_id") and self.is_relationship(f.removesuffix("_id")) else f
                   for f in self.own_list_columns]
        loads = [selectinload(getattr(self.model, f)) for f in related if self.is_relationship(f)]
        return statement.options(*loads) if loads else statement

    def count_rows(self, params: ListParams, actor, limit: int):
        """How many rows the list has, counting no further than ``limit`` + 1."""
        found = select(self.model.id).where(*self.conditions(params, actor)).limit(limit + 1).subquery()
        return select(func.count()).select_from(found)

    def create(self, session, actor, values: dict):
        """Create a record from form values; override to call the addon's service."""
        record = self.model(**clean(self.model, values, session=session))
        if hasattr(self.model, "company_id") and "company_id" not in values:
            record.company_id = actor.company_id
        session.add(record)
        session.flush()
        return record

    def update(self, session, actor, record, values: dict):
        """Write form values to ``record``; override to call the addon's service."""
        for key, value in clean(self.model, values, record=record, session=session).items():
            setattr(record, key, value)
        session.flush()
        return record

    def save(self, session, actor, record, values: dict):
        """Create or update through :meth:`create` / :meth:`update`, then write the extension fields."""
        registry = current_registry()
        own, added = split_values(registry, self.model, values)
        record = self.create(session, actor, own) if record is None else self.update(session, actor, record, own)
        save_extension_values(session, registry, record, added)
        return record

    def delete(self, session, actor, record) -> None:
        session.delete(record)
        session.flush()

    def stages(self, session) -> list[tuple[object, str]]:
        """The kanban columns: the stage column's choices, or the rows of the table it points to."""
        found = fields_of(self.model)[self.stage_field]
        if found.choices:
            return [(value, str(label)) for value, label in found.choices]
        target = found.target
        order = getattr(target, "sequence", target.id)
        return [(row.id, display_name(row)) for row in session.scalars(select(target).order_by(order, target.id))]

    @property
    def card_field_names(self) -> tuple[str, ...]:
        if self.kanban_fields is not None:
            return self.kanban_fields
        return tuple(name for name in self.list_columns[1:3] if name != self.stage_field)

    def card_badges(self, session, rows) -> dict:
        """What the kanban adds to its cards beyond their fields, by record id (lists of
        :class:`core.web.kanban.CardBadge`), read for all the cards at once; override to add some."""
        return {}

    @property
    def edits_in_place(self) -> bool:
        """Whether the record page's fields card turns into the form (the generic form only: a document with
        lines keeps its own edit page)."""
        return self.form_template == ModelView.form_template

    def record_context(self, record) -> dict:
        """Extra template values for the record page (an addon's timeline, actions...)."""
        return {}

    def import_spec(self, session, actor):
        """What an import into this model reads and how it saves (default: the form's fields, through :meth:`save`)."""
        from core.imports.model_import import ModelImport

        return ModelImport(self, current_registry(), actor)

    @property
    def export_columns(self) -> tuple[str, ...]:
        """What an export holds: the list's columns, then every other field of the record page."""
        return self.list_columns + tuple(f for f in self.record_fields if f not in self.list_columns)

    def form_class(self, session, record=None):
        return build_form_class(self, session, record)

    def preview(self, session, actor, record, values: dict):
        """The document the form's ``values`` would save (a :class:`core.web.previews.DocumentPreview`), built
        by the same service as :meth:`save` without writing; for views with ``previews``."""
        raise NotImplementedError


def _once_per_request(name: str, key, compute):
    """``compute()``, kept in the request's ``g.<name>[key]``: what a list asks for every cell is looked up once."""
    known = g.setdefault(name, {})
    if key not in known:
        known[key] = compute()
    return known[key]


# --- routes ----------------------------------------------------------------------------


def mount(view: ModelView, blueprint: BlueprintSetupState) -> None:
    """Add the view's routes to its addon's blueprint, as the app registers it (endpoints ``<addon>.<name>_...``)."""
    prefix = f"/{view.slug}"
    routes = [
        ("/", "list", _list, ("GET",)),
        ("/export.<fmt>", "export", _export, ("GET",)),
        ("/new", "new", _new, ("GET", "POST")),
        ("/<int:record_id>", "view", _view, ("GET",)),
        ("/<int:record_id>/edit", "edit", _edit, ("GET", "POST")),
        ("/<int:record_id>/delete", "delete", _delete, ("GET", "POST")),
        ("/pivot", "pivot", analysis_pages.pivot, ("GET",)),
        ("/pivot.<fmt>", "pivot_export", analysis_pages.pivot_export, ("GET",)),
        ("/graph", "graph", analysis_pages.graph, ("GET",)),
        ("/filters", "filter_save", saved_filter_pages.save, ("POST",)),
        ("/filters/<int:filter_id>/delete", "filter_delete", saved_filter_pages.delete, ("POST",)),
    ]
    if view.stage_field:
        routes += [("/kanban", "kanban", _kanban, ("GET",)), ("/<int:record_id>/stage", "stage", _stage, ("POST",)),
                   ("/kanban/new", "quick_create", _quick_create, ("POST",))]
    if view.list_actions:
        routes += [("/selected/<action>", "selected", _selected, ("POST",))]
    if view.previews:
        routes += [("/preview", "preview", preview_view, ("POST",)),
                   ("/<int:record_id>/preview", "preview_record", preview_view, ("POST",))]
    if view.importable:
        routes += [("/import", "import_upload", import_pages.upload, ("GET", "POST")),
                   ("/import/<token>", "import_preview", import_pages.preview, ("GET", "POST"))]
    for rule, action, handler, methods in routes:
        blueprint.add_url_rule(prefix + rule, f"{view.name}_{action}", _bind(handler, view), methods=methods)


def _bind(handler, view):
    def bound(**kwargs):
        return handler(view, **kwargs)

    bound.__name__ = f"{view.name}_{handler.__name__.strip('_')}"
    bound.model_view = view
    return accepts_json(bound) if getattr(handler, ACCEPTS_JSON_ATTRIBUTE, False) else bound


def _list(view: ModelView):
    require(view.model, "read")
    params = ListParams.from_request(view)
    session = db()
    page = read_page(session, view, params, current_actor())
    params.page = page.number
    view.prefetch(session, page.rows)
    return render_template(view.list_template, view=view, rows=page.rows, page=page, params=params,
                           can_create=can(view.model, "create"), export_formats=EXPORT_FORMATS,
                           actions=view.list_actions if can(view.model, "write") else (),
                           grouping=analysis_pages.list_groups(view, params)), 400 if params.problems else 200


def _selected(view: ModelView, action: str):
    """Run a list action on the ticked rows (at most a page of them), then go back to the list."""
    require(view.model, "write")
    chosen = next((found for found in view.list_actions if found.key == action), None)
    if chosen is None:
        abort(404)
    raw_ids = request.form.getlist("ids")
    if len(raw_ids) > MAX_SELECTED:
        abort(400)
    ids = {_row_id(view, raw) for raw in raw_ids} - {None}
    back = request.referrer if (request.referrer or "").startswith(request.host_url) \
        else url_for(view.endpoint("list"))
    if not ids:
        flash(gettext("Tick the rows to act on first."), "error")
        return redirect(back)
    records = db().scalars(select(view.model).where(inspect(view.model).primary_key[0].in_(ids))
                           .order_by(inspect(view.model).primary_key[0])).all()
    if len(records) != len(ids):
        abort(404)
    run_service(lambda session: chosen.run(session, current_actor(), records), success=chosen.done(len(records)))
    return redirect(back)


def _export(view: ModelView, fmt: str):
    require(view.model, "read")
    if fmt not in EXPORT_FORMATS:
        abort(404)
    params = ListParams.from_request(view)
    session, actor = db(), current_actor()
    total = session.scalar(view.count_rows(params, actor, QUEUED_ROWS))
    if total > QUEUED_ROWS:  # too long for one request: the worker writes the file
        return queue_export(view, fmt, session.scalar(view.count_rows(params, actor, 10 ** 12)))
    statement = view.select_rows(params, actor)  # fails before streaming; its lines are read inside the response
    header, lines = export_table(view, session, statement)
    return export_response(fmt, view.slug, str(view.label_plural), header, lines)


def _view(view: ModelView, record_id: int):
    require(view.model, "read")
    return _record_page(view, record_or_404(view.model, record_id))


def _record_page(view: ModelView, record, form=None):
    """The record page; ``form`` is the fields card's own form as the user sent it back (shown open, with its
    errors next to the fields) after an edit in place was refused."""
    session = db()
    can_write = can(view.model, "write")
    if form is None and can_write and view.edits_in_place:
        form = _filled_form(view, session, record)
    return render_template(view.record_template, view=view, record=record,
                           chatter=record_chatter(view, record),
                           can_write=can_write, can_delete=can(view.model, "delete"),
                           panels=record_panels(record), record_buttons=record_buttons(record),
                           status=status_bar(view, session, record), smart_buttons=smart_buttons(record),
                           in_place_form=form, **view.record_context(record))


def record_panels(record) -> list:
    """What the installed addons show about ``record`` on its page (``record_panels``), for the user."""
    results = current_registry().hook.record_panels(session=db(), actor=current_actor(), record=record)
    return sorted((panel for result in results for panel in (result or ())),
                  key=lambda panel: (panel.sequence, str(panel.title)))


def record_buttons(record) -> list:
    """The buttons the installed addons put on ``record``'s page (``record_buttons``), for the user."""
    results = current_registry().hook.record_buttons(session=db(), actor=current_actor(), record=record)
    return sorted((button for result in results for button in (result or ())), key=lambda button: button.sequence)


def _new(view: ModelView):
    require(view.model, "create")
    return _form(view, None)


def _edit(view: ModelView, record_id: int):
    require(view.model, "write")
    return _form(view, record_or_404(view.model, record_id))


def _filled_form(view: ModelView, session, record):
    """The view's form holding ``record``'s values (or the posted ones), each related record named."""
    form = view.form_class(session, record)(obj=record,
                                            **extension_values(session, view.extensions("create", "write"), record))
    for field in form:
        if isinstance(field, RecordField) and field.data is not None and field.current_label is None:
            target = session.get(field.target, field.data)
            field.current_label = display_name(target) if target is not None else ""
    return form


def _form(view: ModelView, record):
    session, actor = db(), current_actor()
    form = _filled_form(view, session, record)
    if form.validate_on_submit():
        values = form_values(form)
        outcome = run_service(lambda session: view.save(session, actor, record, values), form=form,
                              success=gettext("Saved."))
        if outcome.ok:
            return redirect(url_for(view.endpoint("view"), record_id=outcome.result.id))
    status = 422 if request.method == "POST" else 200
    if status == 422 and record is not None and request.form.get(IN_PLACE) and view.edits_in_place:
        return _record_page(view, record, form), status  # the record page again, its card open on the errors
    return render_template(view.form_template, view=view, form=form, record=record), status


def _delete(view: ModelView, record_id: int):
    require(view.model, "delete")
    record = record_or_404(view.model, record_id)
    if request.method == "POST":
        outcome = run_service(lambda session: view.delete(session, current_actor(), record),
                              success=gettext("Deleted."),
                              clash=gettext("It cannot be deleted: other records refer to it. Archive it instead."))
        if not outcome.ok:
            return redirect(url_for(view.endpoint("view"), record_id=record_id))
        return redirect(url_for(view.endpoint("list")))
    return render_template("core/delete.html", view=view, record=record)


def _kanban(view: ModelView):
    require(view.model, "read")
    params = ListParams.from_request(view)
    session, actor = db(), current_actor()
    stages = view.stages(session)
    cards: dict = {value: [] for value, _label in stages}
    rows = session.scalars(view.select_rows(params, actor).limit(KANBAN_LIMIT + 1)).all()
    shown = rows[:KANBAN_LIMIT]
    for row in shown:
        cards.setdefault(getattr(row, view.stage_field), []).append(row)
    currency = company_currency(actor)
    return render_template(view.kanban_template, view=view, stages=stages, cards=cards, params=params,
                           can_create=can(view.model, "create"),
                           totals=column_totals(session, view, params, actor), currency=currency,
                           fields={row.id: card_fields(view, row, currency) for row in shown},
                           badges=view.card_badges(session, shown),
                           can_write=can(view.model, "write"), truncated=len(rows) > KANBAN_LIMIT)


@accepts_json
def _stage(view: ModelView, record_id: int):
    """Move the record to another stage: a kanban drop or a status bar click (JSON), or the bar's form (no JS)."""
    if not request.is_json:
        return _stage_from_form(view, record_id)
    if not can(view.model, "write"):
        return jsonify(error=gettext("You may not change these records.")), 403
    session = db()
    record = record_or_404(view.model, record_id)
    body = json_object({"stage": (int, str)})
    allowed = {str(value): value for value, _label in view.stages(session)}
    if str(body.get("stage")) not in allowed:
        return jsonify(error=gettext("Unknown stage."), field="stage"), 422
    outcome = run_service(lambda session: view.update(session, current_actor(), record,
                                                      {view.stage_field: allowed[str(body["stage"])]}),
                          flash_errors=False)
    if not outcome.ok:
        return jsonify(error=str(outcome.error)), outcome.status
    return jsonify(ok=True, totals=_board_totals(view))


def _stage_from_form(view: ModelView, record_id: int):
    require(view.model, "write")
    session = db()
    record = record_or_404(view.model, record_id)
    allowed = {str(value): value for value, _label in view.stages(session)}
    chosen = request.form.get("stage", "")
    if chosen not in allowed:
        flash(gettext("Unknown stage."), "error")
    else:
        run_service(lambda session: view.update(session, current_actor(), record, {view.stage_field: allowed[chosen]}),
                    success=gettext("Saved."))
    return redirect(url_for(view.endpoint("view"), record_id=record_id))


@accepts_json
def _quick_create(view: ModelView):
    """A card created from a column's small form: its title and the column's stage, through the view's save."""
    if not can(view.model, "create"):
        return jsonify(error=gettext("You may not create these records.")), 403
    session = db()
    body = json_object({"stage": (int, str), "title": str})
    allowed = {str(value): value for value, _label in view.stages(session)}
    if str(body.get("stage")) not in allowed:
        return jsonify(error=gettext("Unknown stage."), field="stage"), 422
    title = (body.get("title") or "").strip()
    if not title:
        return jsonify(error=gettext("Type a title for the new card."), field="title"), 422
    values = {view.own_list_columns[0]: title, view.stage_field: allowed[str(body["stage"])]}
    outcome = run_service(lambda session: view.save(session, current_actor(), None, values), flash_errors=False)
    if not outcome.ok:
        return jsonify(error=str(outcome.error)), outcome.status
    record = outcome.result
    return jsonify(ok=True, id=record.id, title=view.title(record),
                   url=url_for(view.endpoint("view"), record_id=record.id), totals=_board_totals(view))


def _board_totals(view: ModelView) -> dict:
    """Every column's count and sum for the board's search and filters (the request's query), as JSON."""
    actor = current_actor()
    currency = company_currency(actor)
    totals = column_totals(db(), view, ListParams.from_request(view), actor)
    return {stage: total.as_json(currency) for stage, total in totals.items()}


def column_kind(model, field: str) -> str:
    """A CSS hint for alignment: 'number', 'bool' or 'text'."""
    columns = inspect(model).columns
    if field not in columns:
        return "text"
    if columns[field].foreign_keys:
        return "text"  # shown as the record's name
    kind = columns[field].type
    if isinstance(kind, Boolean):
        return "bool"
    if isinstance(kind, (String, Text)):
        return "text"
    return "number" if kind.python_type in (int, Decimal, float) else "text"

