"""Mail to an alias whose target is ``crm.lead``, or posted to a team's inbound-email URL, becomes a lead.

:func:`addons.crm.capture.from_email` makes the lead (or adds the message to
the sender's open lead), so the field checks and the rules for new leads
(classification, assignment, acknowledgement) apply as to any captured lead.
The lead goes to the company's first active sales team.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import ValidationError
from core.mail_in.parsing import IncomingMail
from core.mail_in.receive import Destination
from core.mail_in.targets import AliasTarget, Created

from . import capture
from .models import Lead, Team


def create_lead(session: Session, company_id: int, mail: IncomingMail) -> Created:
    team = session.scalars(select(Team).where(Team.company_id == company_id, Team.active.is_(True))
                           .order_by(Team.id)).first()
    if team is None:
        raise ValidationError(_l("The company has no active sales team to give the lead to."))
    return _lead_for(session, team, mail)


def _lead_for(session: Session, team: Team, mail: IncomingMail) -> Created:
    result = capture.from_email(session, team, mail.raw, log=False)  # the core posts it, attachments kept
    return Created(session.get(Lead, result.lead_id), result.created)


def targets() -> tuple[AliasTarget, ...]:
    return (AliasTarget("crm.lead", _l("Lead"), create_lead),)


def team_destination(team: Team) -> Destination:
    """Mail a gateway posts to the team's inbound-email URL: received like mail to an alias (threaded by its
    references, logged in *Received mail*, attachments kept), made into a lead of that team."""
    team_id = team.id

    def create(session: Session, _company_id: int, mail: IncomingMail) -> Created:
        return _lead_for(session, session.get(Team, team_id), mail)

    return Destination(team.company_id, team.name, create)
