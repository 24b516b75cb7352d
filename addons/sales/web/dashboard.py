"""The sales dashboard page (its figures: :mod:`..services.dashboard`), the sections installed bridges add to it
(``sales_dashboard_sections``), and sales' tile on the home page."""
from __future__ import annotations

import datetime as dt

from flask import render_template
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from addons.accounting.services.currency import company_currency
from core.errors import ValidationError
from core.reports import display
from core.web.context import current_actor, current_registry, db, require
from core.web.dashboard import Tile
from core.web.i18n import money
from core.web.inputs import date_arg, id_arg

from ..models import SaleOrder, SalesTeam
from ..services import dashboard as figures
from . import blueprint

#: how many months of the home page tile's chart
TILE_MONTHS = 6


def cell(value, column) -> str:
    """A section's cell: a number in the user's locale, or the text a bridge put instead of one."""
    return value if isinstance(value, str) else display(value, column)


@blueprint.route("/dashboard")
def dashboard_page():
    require(SaleOrder, "read")
    session, actor = db(), current_actor()
    default_from, default_to = figures.last_twelve_months(dt.date.today())
    teams = session.scalars(select(SalesTeam).where(SalesTeam.company_id == actor.company_id,
                                                    SalesTeam.active.is_(True)).order_by(SalesTeam.name)).all()
    asked, found, sections, error = {"date_from": default_from, "date_to": default_to, "team_id": None}, None, [], None
    try:
        asked = {"date_from": date_arg("from", default_from), "date_to": date_arg("to", default_to),
                 "team_id": id_arg("team", SalesTeam.id)}
        period = figures.period(session, actor.company_id, **asked)
        found = figures.dashboard(session, period)
        sections = sorted((section for answer in current_registry().hook.sales_dashboard_sections(
            session=session, actor=actor, company_id=period.company_id, date_from=period.date_from,
            date_to=period.date_to, team_id=period.team_id) for section in answer or ()),
            key=lambda section: section.sequence)
    except ValidationError as refused:
        error = str(refused)
    return render_template("sales/dashboard.html", figures=found, asked=asked, teams=teams, sections=sections,
                           error=error, cell=cell, month_label=month_label), (422 if error else 200)


def month_label(row: figures.Figures) -> str:
    """A month's figures' label (``2027-03``) as the user's language abbreviates it ("Mar 27")."""
    return format_date(dt.date(int(row.label[:4]), int(row.label[5:]), 1), "MMM yy")


def tiles(session, actor, registry):
    """Revenue of the last twelve months, with its latest months as a chart."""
    if not registry.can(actor, SaleOrder, "read"):
        return ()
    date_from, date_to = figures.last_twelve_months(dt.date.today())
    period = figures.Period(actor.company_id, date_from, date_to)
    currency = company_currency(session, actor.company_id)
    overall = figures.breakdown(session, period, currency)
    months = overall.by_month[-TILE_MONTHS:]
    return (Tile(title=_l("Sales"), value=money(overall.total.revenue, currency), endpoint="sales.dashboard_page",
                 caption=_l("Untaxed revenue of the orders confirmed in the last twelve months"),
                 chart=tuple((month_label(row), float(row.revenue)) for row in months), sequence=3),)
