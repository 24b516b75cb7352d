"""The contacts UI: generic views over partners and tags, saving through the services,
plus the pages the generic views do not cover: duplicates and merge, and the import."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from core.errors import AccessDenied, ValidationError
from core.imports import ERROR, EXISTS, NEW, ImportFileError, UploadStore, read_file, run_import
from core.imports.engine import resolve_mapping
from core.web.context import current_actor, current_registry, db, record_or_404, system_session
from core.web.forms import display_name
from core.web.views import Filter, ModelView

from . import services
from .importing import PartnerImport
from .matching import REASONS, find_duplicates, find_matches
from .merge import check_can_merge, merge_partners, partner_references
from .models import CONTACT_TYPES, Partner, Tag

DUPLICATES_SHOWN = 200
PREVIEW_LINES = 100
ISSUES_SHOWN = 500
ENCODINGS = (("", _l("Detect")), ("utf-8", "UTF-8"), ("cp1252", "Windows-1252"), ("latin-1", "Latin-1"))
uploads = UploadStore()


class PartnerView(ModelView):
    record_template = "contacts/partner_record.html"

    def create(self, session, actor, values):
        return services.create_partner(session, actor.company_id, **values)

    def update(self, session, actor, record, values):
        return services.update_partner(session, record, **values)

    def display(self, record, field: str) -> str:
        if field == "parent_id":
            return display_name(record.parent) if record.parent is not None else ""
        if field == "salesperson_id":
            return display_name(record.salesperson) if record.salesperson is not None else ""
        if field == "type":
            return str(dict(CONTACT_TYPES).get(record.type, record.type or ""))
        return super().display(record, field)

    # --- the record page ---------------------------------------------------------------

    def partner_panels(self, record) -> list:
        """What the installed addons tell about this partner (``partner_summary``), for the user."""
        results = current_registry().hook.partner_summary(session=db(), actor=current_actor(), partner=record)
        panels = [panel for result in results for panel in (result or ())]
        return sorted(panels, key=lambda panel: (panel.sequence, str(panel.title)))

    def partner_contacts(self, record) -> list:
        return db().scalars(select(Partner).where(Partner.parent_id == record.id, Partner.active.is_(True))
                            .order_by(Partner.type, Partner.name)).all()

    def partner_duplicates(self, record) -> list:
        if not record.active or not current_registry().can(current_actor(), Partner, "write"):
            return []
        return find_matches(db(), record.company_id, name=record.name, email=record.email, vat=record.vat,
                            country_code=record.country_code, exclude_id=record.id)[:5]

    def reason_labels(self, reasons) -> list[str]:
        return [str(REASONS[reason]) for reason in reasons]


class TagView(ModelView):
    def create(self, session, actor, values):
        return services.create_tag(session, actor.company_id, name=values.get("name"))

    def update(self, session, actor, record, values):
        return services.rename_tag(session, record, name=values.get("name"))


def partner_view() -> PartnerView:
    return PartnerView(
        Partner, name="partner", slug="partners", label=_l("Partner"), label_plural=_l("Partners"),
        list_columns=("name", "email", "phone", "city", "country_code", "parent"),
        search_fields=("name", "email", "city", "vat", "phone", "mobile"),
        form_fields=("name", "is_company", "parent_id", "type", "email", "phone", "mobile", "street", "street2",
                     "zip", "city", "country_code", "vat", "lang", "salesperson_id", "tags"),
        filters=(
            Filter("companies", _l("Companies"), lambda actor: Partner.is_company.is_(True)),
            Filter("people", _l("People"), lambda actor: Partner.is_company.is_(False)),
            Filter("mine", _l("My partners"), lambda actor: Partner.salesperson_id == actor.user_id),
            Filter("archived", _l("Archived"), lambda actor: Partner.active.is_(False)),
        ),
        labels={
            "name": _l("Name"), "is_company": _l("Is a company"), "parent_id": _l("Works at"),
            "parent": _l("Works at"), "type": _l("Contact type"), "email": _l("Email"), "phone": _l("Phone"),
            "mobile": _l("Mobile"), "street": _l("Street"), "street2": _l("Street (2nd line)"), "city": _l("City"),
            "zip": _l("Postcode"), "country_code": _l("Country"), "vat": _l("Tax ID"), "lang": _l("Language"),
            "salesperson_id": _l("Salesperson"), "salesperson": _l("Salesperson"), "tags": _l("Tags"),
        },
    )


def tag_view() -> TagView:
    return TagView(Tag, name="tag", slug="tags", label=_l("Tag"), label_plural=_l("Tags"), list_columns=("name",),
                   search_fields=("name",), form_fields=("name",), labels={"name": _l("Name")})


# --- duplicates and merge ----------------------------------------------------------------------

blueprint = Blueprint("contacts_tools", __name__, url_prefix="/contacts")


def _require(operation: str) -> None:
    current_registry().require(current_actor(), Partner, operation)


def _partner_or_404(value) -> Partner:
    try:
        return record_or_404(Partner, int(value))
    except (TypeError, ValueError):
        abort(404)


@blueprint.route("/duplicates")
def duplicates():
    _require("write")
    pairs = find_duplicates(db(), limit=DUPLICATES_SHOWN + 1)
    return render_template("contacts/duplicates.html", pairs=pairs[:DUPLICATES_SHOWN],
                           more=len(pairs) > DUPLICATES_SHOWN)


def _references(partner: Partner) -> list[tuple[str, int]]:
    """How many rows of each installed table point at ``partner`` (counted for a user who may write it)."""
    session = system_session()
    counts = []
    for table, column in partner_references(current_registry()):
        count = session.connection().scalar(select(func.count()).select_from(table).where(column == partner.id))
        if count:
            counts.append((f"{table.name}.{column.name}", count))
    return counts


@blueprint.route("/merge", methods=("GET", "POST"))
def merge():
    _require("write")
    source = _partner_or_404(request.values.get("source"))
    target = _partner_or_404(request.values.get("target"))
    session = db()
    problem = None
    try:
        check_can_merge(session, source, target)
    except (ValidationError, AccessDenied) as error:
        problem = str(error)
    if request.method == "POST" and problem is None:
        try:
            result = merge_partners(session, source, target)
            session.commit()
        except (ValidationError, AccessDenied) as error:
            session.rollback()
            problem = str(error)
        else:
            flash(ngettext("%(source)s was merged into %(target)s; %(num)s reference moved.",
                           "%(source)s was merged into %(target)s; %(num)s references moved.",
                           result.total, source=source.name, target=target.name), "success")
            return redirect(url_for("contacts.partner_view", record_id=target.id))
    view = _partner_view_of_app()
    reasons = next((r for p, r in find_matches(session, target.company_id, name=source.name, email=source.email,
                                                 vat=source.vat, country_code=source.country_code)
                    if p.id == target.id), ())
    return render_template("contacts/merge.html", source=source, target=target, problem=problem, view=view,
                           references=_references(source), reasons=[str(REASONS[r]) for r in reasons]), \
        (422 if request.method == "POST" else 200)


def _partner_view_of_app() -> PartnerView:
    from flask import current_app

    function = current_app.view_functions.get("contacts.partner_view")
    return getattr(function, "model_view", None) or partner_view()


# --- import ------------------------------------------------------------------------------------


@blueprint.route("/import", methods=("GET", "POST"))
def import_upload():
    _require("create")
    if request.method == "POST":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            flash(gettext("Choose a CSV or XLSX file to import."), "error")
            return render_template("contacts/import_upload.html"), 422
        data = upload.read()
        try:
            read_file(data, upload.filename)
        except ImportFileError as error:
            flash(str(error), "error")
            return render_template("contacts/import_upload.html"), 422
        token = uploads.save(current_actor().user_id, upload.filename, data)
        return redirect(url_for("contacts_tools.import_preview", token=token))
    return render_template("contacts/import_upload.html")


@blueprint.route("/import/<token>", methods=("GET", "POST"))
def import_preview(token: str):
    _require("create")
    actor, session = current_actor(), db()
    try:
        filename, data = uploads.load(actor.user_id, token)
    except ImportFileError as error:
        flash(str(error), "error")
        return redirect(url_for("contacts_tools.import_upload"))
    encoding = request.form.get("encoding") or None
    if encoding not in {code for code, _label in ENCODINGS if code}:
        encoding = None
    spec = PartnerImport(session, actor.company_id)
    try:
        table = read_file(data, filename, encoding)
    except ImportFileError as error:
        flash(str(error), "error")
        table = None
    if table is None:
        return render_template("contacts/import_preview.html", token=token, filename=filename, report=None,
                               spec=spec, table=None, encodings=ENCODINGS, encoding=encoding or ""), 422
    overrides = None
    if request.method == "POST":
        overrides = {str(index + 1): request.form.get(f"column-{index + 1}", "")
                     for index in range(len(table.headers))}
    commit = request.method == "POST" and request.form.get("action") == "import"
    report = run_import(session, spec, table, overrides, dry_run=not commit)
    if report.committed:
        session.commit()
        uploads.discard(actor.user_id, token)
        message = ngettext("%(num)s partner imported.", "%(num)s partners imported.", report.created)
        if report.existing:
            message += " " + ngettext("%(num)s line was already there and was skipped.",
                                      "%(num)s lines were already there and were skipped.", report.existing)
        flash(message, "success")
        return redirect(url_for("contacts.partner_list"))
    session.rollback()
    mapping, _issues = resolve_mapping(spec, table.headers, overrides)
    status = 422 if commit or (request.method == "POST" and not report.ok) else 200
    return render_template("contacts/import_preview.html", token=token, filename=filename, report=report, spec=spec,
                           table=table, mapping=mapping, encodings=ENCODINGS, encoding=encoding or "",
                           lines=report.lines[:PREVIEW_LINES], issues=report.issues[:ISSUES_SHOWN],
                           statuses={NEW: gettext("New"), EXISTS: gettext("Already there"),
                                     ERROR: gettext("Error")}), status
