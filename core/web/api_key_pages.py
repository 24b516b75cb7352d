"""API key pages: a user's own keys under Preferences, any user's for an administrator.

A new key's secret is shown once, on the page that answers its creation, and never again (only its digest is
kept: :mod:`core.api.keys`). Revoking a key refuses it at once.
"""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from core.api import keys
from core.db import utcnow
from core.models import User
from core.security.actor import ADMIN_GROUP

from .actions import run_service
from .context import current_registry, db, system_session
from .panels import RecordButton
from .pickers import LocaleDateField

blueprint = Blueprint("api_keys", __name__)


class KeyForm(FlaskForm):
    name = StringField(_l("Name"), [InputRequired(), Length(max=120)],
                       description=_l("Where the key is used, e.g. “web shop”."))
    scopes = SelectMultipleField(_l("Scopes"), [InputRequired()], widget=ListWidget(prefix_label=False),
                                 option_widget=CheckboxInput(),
                                 description=_l("read and write cover every addon; addon:read and addon:write "
                                                "only that addon's records. Write includes read."))
    expires_on = LocaleDateField(_l("Expires on"), [Optional()], description=_l("Empty: the key never expires."))


@blueprint.route("/account/api-keys", methods=["GET", "POST"])
def own_keys():
    return _page(g.user, url_for("api_keys.own_keys"))


@blueprint.route("/settings/users/<int:user_id>/api-keys", methods=["GET", "POST"])
def user_keys(user_id: int):
    if not g.actor.in_group(ADMIN_GROUP):
        abort(403)
    user = system_session().get(User, user_id)
    if user is None:
        abort(404)
    return _page(user, url_for("api_keys.user_keys", user_id=user_id))


@blueprint.route("/account/api-keys/<int:key_id>/revoke", methods=["POST"])
def revoke(key_id: int):
    run_service(lambda session: keys.revoke_key(session, key_id), success=gettext("The key is revoked."))
    back = request.form.get("back", "")
    return redirect(back if back.startswith("/") and not back.startswith("//") else url_for("api_keys.own_keys"))


def _page(user: User, here: str):
    form = KeyForm()
    form.scopes.choices = [(scope, scope) for scope in keys.scope_choices(current_registry())]
    secret = None
    if "name" in request.form and form.validate_on_submit():
        expires = dt.datetime.combine(form.expires_on.data, dt.time()) if form.expires_on.data else None
        outcome = run_service(lambda session: keys.create_key(session, user, name=form.name.data,
                                                              scopes=form.scopes.data, expires_at=expires),
                              form=form)
        if outcome.ok:
            secret = outcome.result[1]
            flash(gettext("The key is made. Copy it now: it is not shown again."), "success")
            form = KeyForm(formdata=None)
            form.scopes.choices = [(scope, scope) for scope in keys.scope_choices(current_registry())]
    status = 422 if request.method == "POST" and "name" in request.form and secret is None else 200
    return render_template("core/api_keys.html", form=form, owner=user, keys=keys.keys_of(db(), user),
                           secret=secret, here=here, own=user.id == g.user.id, now=utcnow()), status


def key_buttons(actor, record) -> list[RecordButton]:
    """An administrator's button to a user's API keys, on the user's page."""
    if isinstance(record, User) and actor.in_group(ADMIN_GROUP):
        return [RecordButton(gettext("API keys"), "api_keys.user_keys", (("user_id", record.id),), sequence=50)]
    return []
