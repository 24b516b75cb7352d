"""Settings an accountant keeps: setting up the books, the lock date, and the year-end closing."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import select

from core.errors import ValidationError
from core.models import Company
from core.web.actions import run_service
from core.web.context import current_actor, db, record_or_404, require
from core.web.inputs import user_date
from core.web.reauth import recent_auth_required

from ..charts import templates
from ..models import FiscalYear, Settings
from . import blueprint


@blueprint.route("/settings")
def closing_page():
    require(Settings, "write")
    session = db()
    settings = session.scalar(select(Settings).where(Settings.company_id == current_actor().company_id))
    years = session.scalars(select(FiscalYear).order_by(FiscalYear.date_start.desc())).all()
    charts = sorted(((key, chart.name) for key, chart in templates().items()), key=lambda pair: pair[1])
    return render_template("accounting/closing.html", settings=settings, years=years, charts=charts)


@blueprint.route("/settings/setup", methods=["POST"])
def closing_setup():
    from ..services.books import setup_books

    require(Settings, "create")
    company = db().get(Company, current_actor().company_id)
    if company is None:
        abort(404)
    chart = request.form.get("chart") or None
    run_service(lambda session: setup_books(session, company, chart=chart), success=gettext("The books are set up."))
    return redirect(url_for("accounting.closing_page"))


@blueprint.route("/settings/lock-date", methods=["POST"])
@recent_auth_required
def closing_lock():
    from ..services.years import set_lock_date

    require(Settings, "write")
    raw = request.form.get("lock_date", "").strip()
    try:
        date = user_date(raw, "lock_date") if raw else None
    except ValidationError as refused:
        flash(str(refused), "error")
        return redirect(url_for("accounting.closing_page"))
    run_service(lambda session: set_lock_date(session, current_actor().company_id, date=date),
                success=gettext("Lock date set to %(date)s.", date=date.isoformat()) if date
                else gettext("The books are unlocked."))
    return redirect(url_for("accounting.closing_page"))


@blueprint.route("/settings/years/<int:year_id>/close", methods=["POST"])
def closing_year(year_id: int):
    from ..services.years import close_fiscal_year

    year = record_or_404(FiscalYear, year_id)
    run_service(lambda session: close_fiscal_year(session, year),
                success=gettext("Fiscal year %(name)s is closed.", name=year.name))
    return redirect(url_for("accounting.closing_page"))
