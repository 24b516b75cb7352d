"""A user's own login sessions: where they are logged in, and ending one or all the others."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, session, url_for
from flask_babel import gettext, ngettext

from core.security import credentials, log_event

from .context import state

blueprint = Blueprint("login_sessions", __name__)


@blueprint.route("/account/sessions")
def listing():
    with state().session_factory() as system:
        rows = credentials.login_sessions(system, g.user.id, session.get("sid"))
    return render_template("core/login_sessions.html", sessions=rows)


@blueprint.route("/account/sessions/<int:session_id>/end", methods=["POST"])
def end(session_id: int):
    with state().session_factory() as system:
        current = next((row for row in credentials.login_sessions(system, g.user.id, session.get("sid"))
                        if row["current"]), None)
        if current is not None and current["id"] == session_id:
            flash(gettext("To end this session, log out."), "error")
        elif credentials.close_login_session_of(system, g.user.id, session_id):
            log_event(system, "sessions_ended", login=g.user.login, user_id=g.user.id, detail="1")
            system.commit()
            flash(gettext("The session is ended."), "success")
        else:
            flash(gettext("This session has already ended."), "info")
    return redirect(url_for("login_sessions.listing"))


@blueprint.route("/account/sessions/end-others", methods=["POST"])
def end_others():
    with state().session_factory() as system:
        ended = credentials.close_other_login_sessions(system, g.user.id, keep=session.get("sid"))
        log_event(system, "sessions_ended", login=g.user.login, user_id=g.user.id, detail=str(ended))
        system.commit()
    flash(ngettext("%(num)s other session is ended.", "%(num)s other sessions are ended.", ended), "success")
    return redirect(url_for("login_sessions.listing"))
