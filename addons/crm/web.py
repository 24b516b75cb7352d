"""CRM pages beyond the generic views: lead actions, reports, and the public capture endpoints."""
from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import select

from core.db import utcnow
from core.mail_in.models import CREATED
from core.mail_in.parsing import UnreadableMail
from core.mail_in.receive import MessageRefused, UnknownRecipient, deliver
from core.web.actions import run_service
from core.web.chatter import store as attachment_store
from core.web.context import can, csrf_exempt, db, new_system_session, public, record_or_404, require, system_session
from core.web.inputs import accepts_json, id_arg, json_object
from core.web.limiter import limiter

from addons.contacts.matching import REASONS as MATCH_REASONS

from . import campaigns, capture, reports, services
from .mail_alias import team_destination
from .models import Campaign, Lead, LostReason, Recipient, Team

blueprint = Blueprint("crm", __name__)  # mounted at /crm, with the generic views (core.web.app)
CAPTURE_LIMIT = "30 per minute"
#: what a JSON capture may send: text, or numbers for a phone or a campaign's id
CAPTURE_FIELDS = {name: (str, int) for name in (*capture.FORM_FIELDS, capture.HONEYPOT, "campaign")}


def _act(lead_id: int, action, success: str):
    """Run ``action(session, lead)`` on a lead the user may see, then go back to it (nothing saved on an error)."""
    lead = record_or_404(Lead, lead_id)
    run_service(lambda session: action(session, lead), success=success)
    endpoint = "crm.opportunity_view" if lead.kind == "opportunity" else "crm.lead_view"
    return redirect(url_for(endpoint, record_id=lead.id))


@blueprint.route("/leads/<int:lead_id>/qualify", methods=["POST"])
def qualify(lead_id: int):
    form = request.form
    partner_id = id_arg("partner_id")
    return _act(lead_id, lambda session, lead: services.qualify(
        session, lead, partner_id=partner_id, create_partner=form.get("create_partner") == "1",
        force=form.get("force") == "1"), gettext("Qualified as an opportunity."))


@blueprint.route("/leads/<int:lead_id>/won", methods=["POST"])
def won(lead_id: int):
    return _act(lead_id, services.mark_won, gettext("Won!"))


@blueprint.route("/leads/<int:lead_id>/lost", methods=["POST"])
def lost(lead_id: int):
    reason = id_arg("lost_reason_id")
    return _act(lead_id, lambda session, lead: services.mark_lost(
        session, lead, lost_reason_id=reason, note=request.form.get("note")), gettext("Marked as lost."))


@blueprint.route("/leads/<int:lead_id>/reopen", methods=["POST"])
def reopen(lead_id: int):
    return _act(lead_id, services.reopen, gettext("Reopened."))


@blueprint.route("/campaigns/<int:campaign_id>/send", methods=["POST"])
def send_campaign(campaign_id: int):
    campaign = record_or_404(Campaign, campaign_id)
    require(Recipient, "create")
    outcome = run_service(lambda session: campaigns.start(session, campaign))
    if outcome.ok:
        flash(gettext("Sending to %(count)s recipients.", count=outcome.result), "success")
    return redirect(url_for("crm.campaign_view", record_id=campaign_id))


@blueprint.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf_exempt
@public
def unsubscribe(token: str):
    """The link in every campaign mail: one click (GET shows, POST confirms, as mail clients prefetch links)."""
    system = system_session()
    recipient = system.scalars(select(Recipient).where(Recipient.token == token)).first()
    if recipient is None:
        abort(404)
    if request.method == "POST":
        campaigns.unsubscribe(system, token)
        system.commit()
        return render_template("crm/unsubscribed.html", email=recipient.email, done=True)
    return render_template("crm/unsubscribed.html", email=recipient.email, done=False)


@blueprint.route("/reports")
def report_page():
    require(Lead, "read")
    session = db()
    campaigns = reports.campaign_effectiveness(session) if can(Recipient, "read") else None
    return render_template("crm/reports.html", pipeline=reports.pipeline_by_stage(session),
                           funnel=reports.funnel(session), salespeople=reports.win_rate_by_salesperson(session),
                           campaigns=campaigns, overdue=reports.overdue_activities(session, utcnow().date()))


def lead_record_context(lead: Lead) -> dict:
    """What the lead page shows beside the fields (the core chatter holds its timeline): lost reasons, and for a
    lead to qualify without a partner, the existing partners it looks like (to link one, or create a new one
    anyway)."""
    session = db()
    reasons = session.scalars(select(LostReason).where(LostReason.active.is_(True)).order_by(LostReason.name)).all()
    candidates = (services.partner_candidates(session, lead)[:5]
                  if lead.kind == "lead" and lead.state == "open" and lead.partner_id is None else [])
    return {"lost_reasons": reasons,
            "partner_candidates": [(partner, [MATCH_REASONS[reason] for reason in found])
                                   for partner, found in candidates]}


# --- public capture: embeddable web-to-lead form and incoming email ------------------------


@blueprint.route("/capture/<key>", methods=["GET", "POST"])
@limiter.limit(CAPTURE_LIMIT, methods=["POST"])
@csrf_exempt
@public
@accepts_json
def capture_form(key: str):
    """A web-to-lead form a company embeds on its site (HTML form or JSON)."""
    system = system_session()
    team = system.scalars(select(Team).where(Team.capture_key == key, Team.active.is_(True))).first()
    if team is None:
        abort(404)
    if request.method == "GET":
        return render_template("crm/capture.html", key=key, team=team, values={}, error=None)
    payload = json_object(CAPTURE_FIELDS) if request.is_json else request.form.to_dict()
    outcome = run_service(lambda session: capture.from_web_form(session, team, payload), session=system,
                          flash_errors=False)
    if not outcome.ok:
        if request.is_json:
            return jsonify(error=str(outcome.error), field=getattr(outcome.error, "field", None)), 422
        return render_template("crm/capture.html", key=key, team=team, values=payload, error=outcome.error), 422
    if request.is_json:
        return jsonify(ok=True, reference=outcome.result.id if outcome.result else None), 201
    return render_template("crm/capture_thanks.html"), 201


@blueprint.route("/inbound-email/<key>", methods=["POST"])
@limiter.limit(CAPTURE_LIMIT)
@csrf_exempt
@public
def inbound_email(key: str):
    """A mail gateway posts a raw RFC 5322 message here: received as mail to an alias is, into the team's leads."""
    system = system_session()
    team = system.scalars(select(Team).where(Team.capture_key == key, Team.active.is_(True))).first()
    if team is None:
        abort(404)
    try:
        delivery = deliver(new_system_session, attachment_store(), request.get_data(cache=False),
                           destination=team_destination(team))
    except (UnreadableMail, UnknownRecipient, MessageRefused) as refusal:
        return jsonify(error=str(refusal)), 422
    return jsonify(ok=True, lead=delivery.res_id, created=delivery.outcome == CREATED), 201

