"""The contacts UI: generic views over partners and tags, saving through the services,
plus the pages the generic views do not cover: duplicates and merge, and the import."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from core.errors import AccessDenied, ValidationError
from core.web.actions import run_service
from core.web.context import current_actor, current_registry, db, record_or_404, require, system_session
from core.web.views import Filter, ModelView

from . import services
from .importing import PartnerImport
from .matching import REASONS, count_duplicates, find_duplicates, find_matches
from .merge import check_can_merge, merge_partners, partner_references
from .models import Partner, Tag

DUPLICATES_SHOWN = 100  # pairs a page


class PartnerView(ModelView):
    record_template = "contacts/partner_record.html"

    def import_spec(self, session, actor):
        """Partners import with their own rules: existing partners and tax ids are matched, not created twice."""
        return PartnerImport(session, actor.company_id)

    def create(self, session, actor, values):
        return services.create_partner(session, actor.company_id, **values)

    def update(self, session, actor, record, values):
        return services.update_partner(session, record, **values)

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
        search_fields=("name", "email", "city", "vat", "phone", "mobile"),
        filters=(
            Filter("companies", _l("Companies"), lambda actor: Partner.is_company.is_(True)),
            Filter("people", _l("People"), lambda actor: Partner.is_company.is_(False)),
            Filter("mine", _l("My partners"), lambda actor: Partner.salesperson_id == actor.user_id),
            Filter("archived", _l("Archived"), lambda actor: Partner.active.is_(False)),
        ),
    )


def tag_view() -> TagView:
    return TagView(Tag, name="tag", slug="tags", label=_l("Tag"), label_plural=_l("Tags"), search_fields=("name",))


# --- duplicates and merge ----------------------------------------------------------------------

blueprint = Blueprint("contacts", __name__)  # mounted at /contacts, with the generic views (core.web.app)


def _partner_or_404(value) -> Partner:
    try:
        return record_or_404(Partner, int(value))
    except (TypeError, ValueError):
        abort(404)


@dataclass(frozen=True)
class DuplicatesPage:
    """Which page of pairs is shown (for ``ui.pagination``)."""

    page: int

    def query_args(self, page: int) -> dict:
        return {"page": page} if page > 1 else {}


@blueprint.route("/duplicates")
def duplicates():
    require(Partner, "write")
    session = db()
    total = count_duplicates(session)
    pages = max(1, -(-total // DUPLICATES_SHOWN))
    shown = DuplicatesPage(min(max(request.args.get("page", 1, type=int) or 1, 1), pages))
    pairs = find_duplicates(session, limit=DUPLICATES_SHOWN, offset=(shown.page - 1) * DUPLICATES_SHOWN)
    return render_template("contacts/duplicates.html", pairs=pairs, total=total, chosen=shown, pages=pages)


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
    require(Partner, "write")
    source = _partner_or_404(request.values.get("source"))
    target = _partner_or_404(request.values.get("target"))
    session = db()
    problem = None
    try:
        check_can_merge(session, source, target)
    except (ValidationError, AccessDenied) as error:
        problem = str(error)
    if request.method == "POST" and problem is None:
        outcome = run_service(lambda session: merge_partners(session, source, target), flash_errors=False)
        if outcome.ok:
            flash(ngettext("%(source)s was merged into %(target)s; %(num)s reference moved.",
                           "%(source)s was merged into %(target)s; %(num)s references moved.",
                           outcome.result.total, source=source.name, target=target.name), "success")
            return redirect(url_for("contacts.partner_view", record_id=target.id))
        problem = str(outcome.error)
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
