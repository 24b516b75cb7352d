"""Mail to an alias whose target is ``crm.lead`` becomes a lead, through the same capture as the inbound-email URL.

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
from core.mail_in.targets import AliasTarget, Created

from . import capture
from .models import Lead, Team


def create_lead(session: Session, company_id: int, mail: IncomingMail) -> Created:
    team = session.scalars(select(Team).where(Team.company_id == company_id, Team.active.is_(True))
                           .order_by(Team.id)).first()
    if team is None:
        raise ValidationError(_l("The company has no active sales team to give the lead to."))
    result = capture.from_email(session, team, mail.raw)
    return Created(session.get(Lead, result.lead_id), result.created)


def targets() -> tuple[AliasTarget, ...]:
    return (AliasTarget("crm.lead", _l("Lead"), create_lead),)
