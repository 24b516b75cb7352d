"""The kiosk pages (/hr/kiosk) and the officer's page giving an employee a badge and PIN.

A browser in kiosk mode carries no login: its cookie holds the company (and the time zone of whoever opened it,
for the times it shows) only, so the page can check people in and out with badge and PIN and show nothing else. An HR officer turns their own browser into a kiosk (which logs
them out), or opens the company's kiosk link on the tablet. Wrong PINs are limited per kiosk and badge.
"""
from __future__ import annotations

from flask import abort, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import gettext

from core.security import credentials
from core.web.actions import run_service
from core.web.context import current_actor, public, record_or_404, state, system_session
from core.web.limiter import limiter
from core.web.panels import RecordButton

from . import kiosk
from .models import Employee
from .security import OFFICER
from .time_models import KioskBadge
from .web import blueprint

KIOSK_KEY = "hr_kiosk_company"
ZONE_KEY = "hr_kiosk_timezone"
#: wrong PINs a kiosk accepts per badge before it makes the badge wait
WRONG_PINS = "5 per minute"


def _kiosk_company() -> int | None:
    return session.get(KIOSK_KEY)


def _attempt_key() -> str:
    return f"hr.kiosk|{_kiosk_company()}|{request.form.get('badge', '').strip()[:40]}"


@blueprint.route("/kiosk", methods=["GET"])
@public
def kiosk_page():
    token = request.args.get("token")
    if token:
        found = kiosk.read_token(current_app.secret_key, token)
        if found is None:
            abort(404)
        _enter_kiosk_mode(*found)
        return redirect(url_for("hr.kiosk_page"))
    if _kiosk_company() is not None:
        return render_template("hr/kiosk.html", message=None, error=None)
    actor = current_actor()
    if actor is None:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if not actor.in_group(OFFICER):
        abort(403)
    link = url_for("hr.kiosk_page", token=kiosk.kiosk_token(current_app.secret_key, actor.company_id,
                                                            g.user.timezone), _external=True)
    return render_template("hr/kiosk_open.html", link=link)


@blueprint.route("/kiosk/open", methods=["POST"])
def open_kiosk():
    """An HR officer's browser becomes the company's kiosk: the officer is logged out first."""
    actor = current_actor()
    if not actor.in_group(OFFICER):
        abort(403)
    _enter_kiosk_mode(actor.company_id, g.user.timezone)
    return redirect(url_for("hr.kiosk_page"))


def _enter_kiosk_mode(company_id: int, timezone: str | None) -> None:
    if session.get("sid"):
        with state().session_factory() as system:
            credentials.close_login_session(system, session.get("sid"))
            system.commit()
    session.clear()
    session[KIOSK_KEY] = company_id
    session[ZONE_KEY] = timezone


@blueprint.route("/kiosk", methods=["POST"])
@public
@limiter.limit(WRONG_PINS, key_func=_attempt_key, deduct_when=lambda response: response.status_code == 422)
def kiosk_punch():
    company_id = _kiosk_company()
    if company_id is None:
        abort(404)
    outcome = run_service(lambda s: kiosk.punch(s, company_id, request.form.get("badge", ""),
                                                request.form.get("pin", "")),
                          session=system_session(), flash_errors=False)
    if not outcome.ok:
        return render_template("hr/kiosk.html", message=None, error=str(outcome.error)), 422
    employee, attendance = outcome.result
    if attendance.check_out is None:
        message = gettext("Hello %(name)s: checked in at %(time)s.", name=employee.name,
                          time=kiosk.local_time(attendance.check_in, session.get(ZONE_KEY)))
    else:
        message = gettext("Goodbye %(name)s: checked out at %(time)s.", name=employee.name,
                          time=kiosk.local_time(attendance.check_out, session.get(ZONE_KEY)))
    return render_template("hr/kiosk.html", message=message, error=None)


def badge_buttons(session_, actor, record) -> list[RecordButton]:
    if not isinstance(record, Employee) or not session_.info["registry"].can(actor, KioskBadge, "write"):
        return []
    return [RecordButton(gettext("Kiosk badge"), "hr.employee_badge", (("employee_id", record.id),), sequence=30)]


@blueprint.route("/employees/<int:employee_id>/badge", methods=["POST"])
def employee_badge(employee_id: int):
    """The button opens the form; the form (with ``badge``) saves the badge and the PIN."""
    employee = record_or_404(Employee, employee_id)
    if not current_actor().in_group(OFFICER):
        abort(403)
    if "badge" not in request.form:
        return render_template("hr/badge.html", employee=employee, error=None, badge="")
    outcome = run_service(lambda s: kiosk.set_badge(s, employee, request.form.get("badge", ""),
                                                    request.form.get("pin", "")),
                          success=gettext("Badge and PIN saved."), flash_errors=False)
    if outcome.ok:
        return redirect(url_for("hr.employee_view", record_id=employee_id))
    return render_template("hr/badge.html", employee=employee, error=str(outcome.error),
                           badge=request.form.get("badge", "")), 422
