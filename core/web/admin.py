"""Administration: users, companies and groups (generic views), the addons page, jobs, outbox, security log.

A company's form edits its profile (address, tax id, IBAN, contacts, logo,
language) through :mod:`core.companies`, which names every wrong field.

The addons page runs the same lifecycle service as ``bottega addons``, with
the same plan, refusals and messages. *Jobs* and *Outbox* list the job queue's
and the mail outbox's records by state; failed ones can be retried. Changing
users, groups or addons needs a recent confirmation of identity
(core.web.reauth) and is written to the security log.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import format_datetime, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from flask_wtf.file import FileField
from wtforms import BooleanField, PasswordField
from wtforms.validators import Length, Optional

from core.chatter.models import MailTemplate
from core.companies import clean_company, create_company, update_company
from core.config import EnabledAddonsWrite
from core.images import MAX_LOGO_BYTES
from core.errors import BottegaError, ValidationError
from core.fields import clean
from core.jobs import JOB_STATES, retry_job
from core.mail import MAIL_STATES, requeue_mail
from core.models import Company, Group, JobRecord, Mail, SecurityEvent, User
from core.security import credentials, log_event
from core.security.actor import ADMIN_GROUP
from core.security.password_policy import check_password_policy

from .actions import run_service
from .context import current_actor, current_registry, db, record_or_404, require, state
from .exports import EXPORT_BATCH, EXPORT_FORMATS, export_response
from .forms import form_values
from .reauth import recent_auth_required
from .security_log import KIND_LABELS, LogFilter, security_events
from .views import ModelView

SENSITIVE_ACTIONS = ("new", "edit", "delete")

blueprint = Blueprint("core", __name__)  # mounted at /settings, with the generic views (core.web.app)


class UserView(ModelView):
    """Users, with a password field that is hashed, never stored or shown."""

    importable = False  # administrators create these one by one (passwords, declared groups, logos)

    recent_auth_actions = SENSITIVE_ACTIONS

    def form_class(self, session, record=None):
        base = super().form_class(session, record)
        attributes = {
            "new_password": PasswordField(_l("New password"), [Optional(), Length(max=1024)],
                                          description=_l("Leave empty to keep the current password.")),
        }
        return type("UserForm", (base,), attributes)

    def select_rows(self, params, actor):
        return super().select_rows(params, actor).options(selectinload(User.groups))

    def create(self, session, actor, values):
        password = values.pop("new_password", None)
        if not password:
            raise ValidationError(gettext("A new user needs a password."), "new_password")
        check_password_policy(password, (values.get("login"), values.get("name"), values.get("email")),
                              "new_password")
        user = User(**clean(User, values, session=session))
        if user.company_id and all(c.id != user.company_id for c in user.companies):
            user.companies.append(session.get(Company, user.company_id))
        session.add(user)
        session.flush()
        credentials.set_password(session, user.id, password)
        log_event(session, "user_created", login=user.login, detail=_access_summary(user))
        return user

    def update(self, session, actor, record, values):
        password = values.pop("new_password", None)
        if record.id == actor.user_id and values.get("active") is False:
            raise ValidationError(gettext("You cannot archive yourself."), "active")
        if password:
            check_password_policy(password, (values.get("login", record.login), values.get("name", record.name),
                                             values.get("email", record.email)), "new_password")
        before = _access_summary(record)
        super().update(session, actor, record, values)
        if password:
            credentials.set_password(session, record.id, password)
        changes = [f"{before} → {_access_summary(record)}"] if _access_summary(record) != before else []
        changes += ["password set by an administrator"] if password else []
        if changes:
            log_event(session, "user_changed", login=record.login, detail="; ".join(changes))
        return record

    def delete(self, session, actor, record) -> None:
        log_event(session, "user_changed", login=record.login, detail=f"{_access_summary(record)} → deleted")
        super().delete(session, actor, record)


def _access_summary(user: User) -> str:
    """What decides a user's access, for the security log: active or archived, groups, companies."""
    groups = ", ".join(sorted(group.key for group in user.groups)) or "-"
    companies = ", ".join(sorted(company.name for company in user.companies)) or "-"
    return f"{'active' if user.active else 'archived'}; groups {groups}; companies {companies}"


class GroupView(ModelView):
    """Groups: only their label can change here; membership is set on the user's form."""

    importable = False  # administrators create these one by one (passwords, declared groups, logos)

    recent_auth_actions = SENSITIVE_ACTIONS

    def display(self, record, field: str) -> str:
        """A group's label as people read it: translated where a catalogue has it (the stored one is English)."""
        return record.display_name if field == "label" else super().display(record, field)

    def update(self, session, actor, record, values):
        before = record.label
        super().update(session, actor, record, values)
        if record.label != before:
            log_event(session, "group_changed", detail=f"{record.key}: {before} → {record.label}")
        return record


class CompanyView(ModelView):
    """Companies and their profile, checked by :mod:`core.companies`; the logo is an uploaded file."""

    importable = False  # administrators create these one by one (passwords, declared groups, logos)

    record_template = "core/company_record.html"

    def form_class(self, session, record=None):
        base = super().form_class(session, record)
        picture = self.fields()["logo"]

        class CompanyForm(base):
            logo = FileField(picture.label, description=picture.help)
            remove_logo = BooleanField(_l("Remove the logo"))

            def __init__(self, *args, obj=None, **kwargs):
                super().__init__(*args, obj=obj, **kwargs)
                self.record = obj

            def validate(self, extra_validators=None):
                """The form's own checks, then the profile's on the fields that passed them, all at once."""
                valid = super().validate(extra_validators)
                values = {name: value for name, value in _profile(form_values(self)).items()
                          if name not in self or not self[name].errors}
                try:
                    clean_company(self.session, values, self.record)
                except ValidationError as error:
                    for name, problem in error.errors.items():
                        if name in self and not self[name].errors:
                            self[name].errors = [problem]
                        elif name not in self:
                            self.form_errors.append(str(error))
                    return False
                return valid

        return CompanyForm

    def create(self, session, actor, values):
        return create_company(session, **_profile(values))

    def update(self, session, actor, record, values):
        return update_company(session, record, **_profile(values))


def _profile(values: dict) -> dict:
    """A company form's values as :mod:`core.companies` takes them: the logo as bytes, or None to remove it."""
    values = dict(values)
    upload, remove = values.pop("logo", None), values.pop("remove_logo", False)
    if remove:
        values["logo"] = None
    elif upload is not None and upload.filename:
        upload.stream.seek(0)
        values["logo"] = upload.stream.read(MAX_LOGO_BYTES + 1)  # one byte more than allowed tells "too big"
    return values


class MailTemplateView(ModelView):
    """Mail templates: the Jinja2 of subject and body is checked, and the model must be an installed one."""

    importable = False

    def save(self, session, actor, record, values: dict):
        from core.chatter.composer import check_template

        try:
            current_registry().model_of_table(values.get("model") or "")
        except KeyError:
            raise ValidationError(_l("%(model)s is not the table of an installed model.",
                                     model=values.get("model")), "model") from None
        check_template(values.get("subject") or "", values.get("body") or "")
        return super().save(session, actor, record, values)


def core_views() -> tuple[ModelView, ...]:
    return (
        UserView(User, name="user", slug="users", label=_l("User"), label_plural=_l("Users"),
                 search_fields=("login", "name", "email"),
                 form_fields=("login", "name", "email", "lang", "active", "company_id", "companies", "groups")),
        CompanyView(Company, name="company", slug="companies", label=_l("Company"), label_plural=_l("Companies"),
                    search_fields=("name", "vat", "city")),
        GroupView(Group, name="group", slug="groups", label=_l("Group"), label_plural=_l("Groups"),
                  list_columns=("label", "key", "addon"), search_fields=("label", "key"), form_fields=("label",)),
        MailTemplateView(MailTemplate, name="mail_template", slug="mail-templates", label=_l("Mail template"),
                         label_plural=_l("Mail templates"), search_fields=("name", "model", "subject"),
                         form_fields=("name", "model", "lang", "subject", "body")),
    )


def _require_admin() -> None:
    if not current_actor().in_group(ADMIN_GROUP):
        abort(403)


@blueprint.route("/addons")
def addons():
    _require_admin()
    return render_template("core/addons.html", addons=state().lifecycle().status())


@blueprint.route("/addons/<name>/<action>", methods=["GET", "POST"])
@recent_auth_required
def addon_action(name: str, action: str):
    _require_admin()
    lifecycle = state().lifecycle()
    purge = request.values.get("purge") == "1"
    try:
        if action == "install":
            plan = lifecycle.plan_install([name])
        elif action == "upgrade":
            plan = lifecycle.plan_upgrade([name])
        elif action == "uninstall":
            plan = lifecycle.plan_uninstall(name, purge_data=purge)
        else:
            abort(404)
        if request.method == "GET":
            return render_template("core/addon_plan.html", name=name, action=action, plan=plan, purge=purge)
        write = EnabledAddonsWrite(state().config, add=[name] if action == "install" else [],
                                   remove=plan.removed)
        try:
            backups = lifecycle.run(plan, config_write=write)
        except BaseException:
            write.discard()
            raise
        write.commit()
        state().addons_changed()
    except BottegaError as error:
        flash(str(error), "error")
        return redirect(url_for("core.addons"))
    for line in plan.lines():
        flash(line, "info")
    for path in backups:
        flash(gettext("Backup written to %(path)s", path=path), "info")
    flash(gettext("Done."), "success")
    return redirect(url_for("core.addons"))


@blueprint.route("/companies/<int:record_id>/logo")
def company_logo(record_id: int):
    """The company's logo, as stored; only the types :mod:`core.images` accepts were ever stored."""
    require(Company, "read")
    company = record_or_404(Company, record_id)
    if not company.logo_type:
        abort(404)
    response = make_response(company.logo)
    response.headers["Content-Type"] = company.logo_type
    response.headers["Content-Disposition"] = "inline"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


# --- jobs and outbox -------------------------------------------------------------------

PAGE_SIZE = 50


def _listing(model, states, order):
    """One page of ``model`` rows filtered by ``?state=``, with the count of each state."""
    session = db()
    chosen = request.args.get("state") or None
    if chosen not in states:
        chosen = None
    counts = dict(session.execute(select(model.state, func.count()).group_by(model.state)).all())
    query = select(model)
    if chosen:
        query = query.where(model.state == chosen)
    total = counts.get(chosen, 0) if chosen else sum(counts.values())
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    rows = session.scalars(query.order_by(*order).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return {"rows": rows, "counts": counts, "chosen": chosen, "page": page, "pages": pages, "total": total,
            "states": states}


@blueprint.route("/jobs")
def job_list():
    _require_admin()
    return render_template("core/jobs.html", **_listing(JobRecord, JOB_STATES, (JobRecord.id.desc(),)))


@blueprint.route("/jobs/<int:record_id>/retry", methods=["POST"])
def job_retry(record_id: int):
    _require_admin()
    run_service(lambda session: retry_job(session, record_id),
                success=gettext("Job %(id)s is queued again.", id=record_id))
    return redirect(url_for("core.job_list", state=request.args.get("state") or None))


@blueprint.route("/outbox")
def mail_list():
    _require_admin()
    return render_template("core/outbox.html", **_listing(Mail, MAIL_STATES, (Mail.id.desc(),)))


@blueprint.route("/outbox/<int:record_id>/requeue", methods=["POST"])
def mail_requeue(record_id: int):
    _require_admin()
    run_service(lambda session: requeue_mail(session, record_id),
                success=gettext("Mail %(id)s is queued again.", id=record_id))
    return redirect(url_for("core.mail_list", state=request.args.get("state") or None))


# --- security log --------------------------------------------------------------------

LOG_PAGE_SIZE = 50


@blueprint.route("/security-log/")
def security_log():
    require(SecurityEvent, "read")
    chosen = LogFilter.from_request()
    session = db()
    total = session.scalar(select(func.count()).select_from(security_events(chosen).subquery()))
    pages = max(1, -(-total // LOG_PAGE_SIZE))
    chosen.page = min(chosen.page, pages)
    rows = session.execute(security_events(chosen).order_by(SecurityEvent.id.desc())
                           .limit(LOG_PAGE_SIZE).offset((chosen.page - 1) * LOG_PAGE_SIZE)).all()
    return render_template("core/security_log.html", rows=rows, chosen=chosen, kinds=KIND_LABELS, pages=pages,
                           total=total, export_formats=EXPORT_FORMATS)


@blueprint.route("/security-log/export.<fmt>")
def security_log_export(fmt: str):
    require(SecurityEvent, "read")
    if fmt not in EXPORT_FORMATS:
        abort(404)
    chosen = LogFilter.from_request()
    header = [gettext("When"), gettext("Event"), gettext("User"), gettext("Login"), gettext("Address"),
              gettext("Browser"), gettext("Detail")]
    session = db()

    def lines():  # run when the download is written, inside the streamed response
        statement = security_events(chosen).order_by(SecurityEvent.id.desc()).execution_options(yield_per=EXPORT_BATCH)
        for event, user_login in session.execute(statement):
            yield [format_datetime(event.at, "short"), str(KIND_LABELS.get(event.kind, event.kind)),
                   user_login or "", event.login or "", event.ip or "", event.user_agent or "", event.detail or ""]

    return export_response(fmt, "security-log", gettext("Security log"), header, lines())
