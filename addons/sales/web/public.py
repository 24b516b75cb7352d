"""The quotation's public page: no login, reached through the signed link its mail carries (services.acceptance).

It shows that quotation only (never a cost nor a margin, no menu of the
application), in the customer's language, and takes the customer's answer:
accept or decline. The answers are forms with the application's CSRF token,
rate-limited per address like the login. A link that cannot be answered any
more (expired, tampered with, already answered, replaced by a revision)
gets a page saying so, and changes nothing.
"""
from __future__ import annotations

from contextlib import nullcontext

from flask import Response, abort, current_app, redirect, render_template, request, url_for
from flask_babel import force_locale

from core.models import Company
from core.web.actions import run_service
from core.web.context import public, system_session
from core.web.limiter import limiter

from ..services import acceptance
from . import blueprint

#: answers a visitor may post a minute, accepting and declining together
ANSWER_LIMIT = "10 per minute"
#: the statuses whose page shows the quotation itself
SHOWN = (acceptance.OPEN, acceptance.ACCEPTED, acceptance.ANSWERED_NO)


def _link(token: str, *, lock: bool = False) -> acceptance.Link:
    return acceptance.open_link(system_session(), current_app.config["SECRET_KEY"], token, lock=lock)


def _language(link: acceptance.Link):
    """The customer's language for the page (a link that is none of ours: the browser's)."""
    from .. import documents

    return force_locale(documents.quote_language(system_session(), link.order)) if link.order else nullcontext()


def _page(token: str, link: acceptance.Link, *, error=None, answer: str | None = None, status: int | None = None):
    if status is None:
        status = 404 if link.status == acceptance.INVALID else 200
    order = link.order if link.status in SHOWN else None
    company = system_session().get(Company, order.company_id) if order else None
    return render_template("sales/public_quote.html", token=token, link=link, order=order, company=company,
                           error=error, answer=answer, values=request.form), status


@blueprint.route("/quote/<token>")
@public
def public_quote(token: str):
    link = _link(token)
    with _language(link):
        return _page(token, link)


@blueprint.route("/quote/<token>/pdf")
@public
def public_quote_pdf(token: str):
    from .. import documents  # WeasyPrint is slow to import: only when a PDF is asked for

    link = _link(token)
    if link.status not in SHOWN:
        abort(404)
    with _language(link):
        pdf = documents.quote_pdf(system_session(), link.order)
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{documents.quote_filename(link.order)}"'})


@blueprint.route("/quote/<token>/accept", methods=["POST"])
@limiter.shared_limit(ANSWER_LIMIT, scope="sales.quote_answer")
@public
def public_accept(token: str):
    return _answer(token, "accept", lambda session, order: acceptance.accept_quote(
        session, order, name=request.form.get("accepted_by"),
        customer_reference=request.form.get("customer_reference")))


@blueprint.route("/quote/<token>/decline", methods=["POST"])
@limiter.shared_limit(ANSWER_LIMIT, scope="sales.quote_answer")
@public
def public_decline(token: str):
    return _answer(token, "decline", lambda session, order: acceptance.decline_quote(
        session, order, reason=request.form.get("decline_reason")))


def _answer(token: str, answer: str, action):
    """Run the customer's answer on the quotation the link opens; a refusal is shown on the page, nothing kept."""
    link = _link(token, lock=True)
    with _language(link):
        if not link.is_open:
            return _page(token, link, status=404 if link.status == acceptance.INVALID else 409)
        outcome = run_service(lambda session: action(session, link.order), session=system_session(),
                              flash_errors=False)
        if not outcome.ok:
            return _page(token, _link(token), error=outcome.error, answer=answer, status=422)
    return redirect(url_for("sales.public_quote", token=token))
