"""The people pages: the org chart, "My profile" (an employee's own record, contact data and leave) and "My team"
(a manager's departments, and who is off today)."""
from __future__ import annotations

import datetime as dt

from flask import redirect, render_template, request, url_for
from flask_babel import gettext

from core.errors import ValidationError
from core.fields import fields_of
from core.web.actions import run_service
from core.web.context import can, current_actor, db, require
from core.web.forms import ModelForm, form_field, form_values

from . import leaves, self_service
from .models import Department, Employee, EmployeePrivate
from .org_chart import org_chart
from .security import MANAGER
from .services import SELF_SERVICE
from .web import blueprint


@blueprint.route("/org-chart")
def org_chart_page():
    """The department tree with the people the user may read, each linked to their page."""
    require(Employee, "read")
    roots = org_chart(db(), keep_empty=can(Department, "write"))
    return render_template("hr/org_chart.html", roots=roots)


def _contact_form_class(session):
    work, private = fields_of(Employee), fields_of(EmployeePrivate)
    attributes = {name: form_field(work[name], session) for name in SELF_SERVICE}
    attributes |= {name: form_field(private[name], session) for name in self_service.OWN_PRIVATE}
    return type("MyContactForm", (ModelForm,), {**attributes, "session": session})


@blueprint.route("/me", methods=["GET", "POST"])
def profile_page():
    """The user's own employee record: what HR keeps (read only), their contact data (a form) and their leave."""
    require(Employee, "read")
    session, actor = db(), current_actor()
    try:
        me = self_service.my_employee(session, actor)
    except ValidationError as refused:
        return render_template("hr/me.html", me=None, error=str(refused)), 404
    current = {name: getattr(me, name) for name in SELF_SERVICE} | self_service.my_private(session, me)
    form = _contact_form_class(session)(data=current)
    if request.method == "POST" and form.validate():
        outcome = run_service(lambda session: self_service.update_my_contact(session, actor, **form_values(form)),
                              form=form, success=gettext("Your contact data is saved."))
        if outcome.ok:
            return redirect(url_for("hr.profile_page"))
    year = dt.date.today().year
    return render_template("hr/me.html", me=me, form=form, year=year, manager=self_service.my_manager(session, me),
                           balances=leaves.balances(session, year, employee_id=me.id),
                           manages=actor.in_group(MANAGER)), 422 if form.errors or form.form_errors else 200


@blueprint.route("/my-team")
def managed_team():
    """The people of the departments the user manages (and under them), and who of them is off today."""
    require(Employee, "read")
    session, actor = db(), current_actor()
    try:
        people = self_service.team(session, actor)
    except ValidationError as refused:
        return render_template("hr/my_team.html", people=[], error=str(refused)), 404
    today = dt.date.today()
    off = self_service.off_on(session, [person.id for person in people], today)
    return render_template("hr/my_team.html", people=people, off=off, today=today, error=None)
