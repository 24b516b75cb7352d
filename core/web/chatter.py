"""The chatter on every record page: the timeline aside, and the routes that post to it.

The routes name a record by its table and id (``/chatter/<table>/<id>/...``)
and act through :mod:`core.chatter.services` in the user's session, so a
record they may not read is a 404 and its chatter is neither shown nor
written. Each route goes back to the record page it came from.
"""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import format_decimal, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.bounds import fits_id
from core.chatter import composer, services
from core.chatter.models import MailTemplate, Message
from core.chatter.storage import AttachmentStore
from core.errors import RecordNotFound, ValidationError
from core.models import User

from .actions import run_service
from .context import can, current_actor, current_registry, db, require, state
from .forms import display_name
from .history import record_history
from .links import record_url, views_by_model

blueprint = Blueprint("chatter", __name__, url_prefix="/chatter")


@blueprint.before_request
def _require_chatter() -> None:
    """A user with no access to the chatter (no internal user's group) is refused at once."""
    require(Message, "read")

ACTIVITY_LABELS = {"call": _l("Call"), "email": _l("Email"), "meeting": _l("Meeting"), "task": _l("Task")}
#: the badge of a message on the timeline (a message to followers has none; an email shows its recipients)
MESSAGE_LABELS = {"note": _l("Note"), "email": _l("Email"), "email_in": _l("Email received"), "call": _l("Call"), "chat": _l("Chat"),
                  "tracking": _l("Change"), "system": _l("System")}
#: what the composer says once a note, a call or a chat is on the timeline
LOGGED = {"note": lambda: gettext("Note logged."), "call": lambda: gettext("Call logged."),
          "chat": lambda: gettext("Chat logged.")}
DUE_LABELS = {services.OVERDUE: _l("Late"), services.TODAY: _l("Due today"), services.PLANNED: _l("Planned")}


def store() -> AttachmentStore:
    return AttachmentStore.of(state().config)


def record_chatter(view, record) -> dict | None:
    """The record page's timeline: messages, notes, closed activities, attachments and the audit history,
    newest first, and the open activities by due date (None for a user with no access to the chatter)."""
    if not can(Message, "read"):
        return None
    session = db()
    ref = services.ref_of(session, record)
    chatter = services.read_chatter(session, ref)
    entries = [{"type": "message", "at": m.at, "item": m} for m in chatter.messages]
    entries += [{"type": "activity", "at": a.done_at or a.updated_at, "item": a} for a in chatter.closed_activities]
    entries += [{"type": "attachment", "at": a.at, "item": a, "size": format_decimal(round(a.size / 1024, 1))}
                for a in chatter.attachments]
    entries += [{"type": "history", "at": h["entry"].at, "item": h} for h in record_history(view, record.id)]
    entries.sort(key=lambda entry: entry["at"], reverse=True)
    today = dt.date.today()
    return {
        "ref": ref, "entries": entries, "chatter": chatter, "today": today,
        "planned": [(a, services.due_state(a, today)) for a in chatter.activities],
        "assignees": _assignees(ref.company_id), "activity_kinds": ACTIVITY_LABELS, "due_labels": DUE_LABELS,
        "message_kinds": MESSAGE_LABELS,
        "max_bytes": store().max_bytes, "max_mb": store().max_mb,
        "can_email": bool(current_actor()),
    }


def _assignees(company_id: int) -> list[User]:
    users = db().scalars(select(User).where(User.active.is_(True)).options(selectinload(User.companies))
                         .order_by(User.name))
    return [user for user in users
            if user.company_id == company_id or company_id in {company.id for company in user.companies}]


def _ref(res_model: str, res_id: int) -> services.RecordRef:
    try:
        return services.record_of(db(), res_model, res_id)
    except RecordNotFound:
        abort(404)


def _back():
    """The record page the form was sent from (a page of this site), else home."""
    target = request.form.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(url_for("web.home"))


@blueprint.route("/<res_model>/<int:res_id>/message", methods=["POST"])
def post(res_model: str, res_id: int):
    ref = _ref(res_model, res_id)
    kind = request.form.get("kind", "note")
    run_service(lambda session: services.post_message(session, ref, request.form.get("body", ""), kind=kind),
                success=LOGGED[kind]() if kind in LOGGED else gettext("Message posted."))
    return _back()


@blueprint.route("/<res_model>/<int:res_id>/activity", methods=["POST"])
def schedule(res_model: str, res_id: int):
    ref = _ref(res_model, res_id)
    try:
        due = dt.date.fromisoformat(request.form.get("due_date", ""))
        user_id = int(request.form.get("user_id", ""))
    except ValueError:
        flash(gettext("Give the activity a due date and someone to do it."), "error")
        return _back()
    run_service(lambda session: services.schedule_activity(
        session, ref, kind=request.form.get("kind", ""), summary=request.form.get("summary", ""), due_date=due,
        user_id=user_id, note=request.form.get("note")), success=gettext("Activity scheduled."))
    return _back()


@blueprint.route("/activities")
def my_activities():
    """The user's open activities on every record they may read, overdue first, each with its record."""
    today = dt.date.today()
    rows = [{"activity": planned.activity, "due": services.due_state(planned.activity, today),
             "record": display_name(planned.record), "url": record_url(planned.record),
             "model": _model_label(type(planned.record))} for planned in services.my_activities(db())]
    return render_template("core/my_activities.html", rows=rows, activity_kinds=ACTIVITY_LABELS,
                           due_labels=DUE_LABELS)


def _model_label(model) -> str:
    views = views_by_model().get(model, ())
    return str(views[0].label) if views else model.__name__


@blueprint.route("/activity/<int:activity_id>/<action>", methods=["POST"])
def close_activity(activity_id: int, action: str):
    if action == "done":
        run_service(lambda session: services.finish_activity(session, activity_id, request.form.get("feedback")),
                    success=gettext("Activity done."))
    elif action == "cancel":
        run_service(lambda session: services.cancel_activity(session, activity_id),
                    success=gettext("Activity cancelled."))
    else:
        abort(404)
    return _back()


@blueprint.route("/<res_model>/<int:res_id>/<action>", methods=["POST"])
def following(res_model: str, res_id: int, action: str):
    ref = _ref(res_model, res_id)
    if action == "follow":
        run_service(lambda session: services.follow(session, ref), success=gettext("You follow this record."))
    elif action == "unfollow":
        run_service(lambda session: services.unfollow(session, ref), success=gettext("You no longer follow it."))
    else:
        abort(404)
    return _back()


@blueprint.route("/<res_model>/<int:res_id>/attachment", methods=["POST"])
def upload(res_model: str, res_id: int):
    ref = _ref(res_model, res_id)
    files = request.files.getlist("file")
    if not files or not any(f.filename for f in files):
        flash(gettext("Choose a file to attach."), "error")
        return _back()
    for file in files:
        data = file.read(store().max_bytes + 1)
        run_service(lambda session, file=file, data=data: services.attach(session, store(), ref, file.filename or "",
                                                                           data),
                    success=gettext("%(name)s attached.", name=file.filename))
    return _back()


@blueprint.route("/attachment/<int:attachment_id>")
def download(attachment_id: int):
    try:
        attachment = services.attachment_for_reading(db(), attachment_id)
    except RecordNotFound:
        abort(404)
    path = store().path(attachment.storage_key)
    if not path.is_file():
        abort(404)
    return send_file(path.resolve(), mimetype=attachment.content_type, as_attachment=True,
                     download_name=attachment.filename)


@blueprint.route("/<res_model>/<int:res_id>/email", methods=["GET", "POST"])
def compose(res_model: str, res_id: int):
    ref = _ref(res_model, res_id)
    session = db()
    templates = composer.templates_for(session, res_model)
    documents = _documents(ref)
    back = request.values.get("next", "")
    back = back if back.startswith("/") and not back.startswith("//") else url_for("web.home")
    error = None
    if request.method == "POST":
        wanted = set(request.form.getlist("document"))
        chosen = [document.attachment() for document in documents if document.filename in wanted]
        outcome = run_service(lambda session: composer.send_email(
            session, state().config, ref, to=request.form.get("to", ""), subject=request.form.get("subject", ""),
            body=request.form.get("body", ""), attachments=chosen), success=gettext("Email queued for sending."),
            flash_errors=False)
        if outcome.ok:
            return redirect(back)
        error = outcome.error
        values = composer.Draft(request.form.get("to", ""), request.form.get("subject", ""),
                                request.form.get("body", ""))
        template_id = None
    else:
        template_id = request.args.get("template_id", type=int)
        if template_id is not None and not fits_id(MailTemplate.id, template_id):
            template_id = None
        if template_id is None and templates:
            template_id = _in_their_language(ref, templates).id
        try:
            values = composer.draft(session, ref, template_id)
        except (ValidationError, RecordNotFound) as exc:
            error, values = exc, composer.draft(session, ref, None)
    return render_template("core/composer.html", ref=ref, templates=templates, template_id=template_id,
                           values=values, documents=documents, error=error, back=back,
                           title=display_name(ref.record)), 400 if error else 200


def _in_their_language(ref, templates):
    """The template in the language of the record's partner, when there is one; else the first."""
    lang = getattr(getattr(ref.record, "partner", None) or ref.record, "lang", None)
    return next((template for template in templates if lang and template.lang == lang), templates[0])


def _documents(ref) -> list[composer.Document]:
    """The record's documents the installed addons offer to attach (``mail_attachments``)."""
    results = current_registry().hook.mail_attachments(session=db(), actor=current_actor(), record=ref.record)
    return [found for result in results for found in (result or ())]

