"""CRM's business actions in the JSON API: qualify a lead as an opportunity."""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from core.api.actions import ApiAction

from .models import Lead


class QualifyParams(BaseModel):
    """The lead's partner: an existing one, or a new one made from the lead (after the duplicate check)."""

    model_config = ConfigDict(extra="forbid")
    partner_id: Annotated[StrictInt, Field(ge=1, le=2 ** 31 - 1)] | None = None
    create_partner: StrictBool = False
    force: StrictBool = False


def _qualify(session, actor, lead, *, partner_id=None, create_partner=False, force=False):
    from .services import qualify

    return qualify(session, lead, partner_id=partner_id, create_partner=create_partner, force=force)


def api_actions() -> list[ApiAction]:
    return [ApiAction(Lead, "qualify", _qualify, params=QualifyParams, summary="Qualify a lead as an opportunity")]
