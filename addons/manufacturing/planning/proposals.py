"""A planner's answer to the requirements run: confirm proposals (make draft production orders through the
production service, buy through the ``manufacturing_buy`` hook) or discard them.

Each call is all or nothing: the proposals are locked (``FOR UPDATE``) and
must all be open, so a proposal confirmed twice, or by two planners at once,
is refused naming it, and nothing is written.
"""
from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import ValidationError

from ..services.production import create_production
from .models import BUY, CONFIRMED, DISCARDED, MAKE, PROPOSED, Proposal


def _open_proposals(session: Session, proposal_ids: Iterable[int]) -> list[Proposal]:
    ids = sorted(set(proposal_ids))
    if not ids:
        raise ValidationError(gettext("Choose the proposals first."), "proposal_ids")
    found = session.scalars(select(Proposal).where(Proposal.id.in_(ids)).order_by(Proposal.id)
                            .with_for_update().execution_options(populate_existing=True)).all()
    missing = sorted(set(ids) - {proposal.id for proposal in found})
    if missing:
        raise ValidationError(gettext(
            "Proposal %(ids)s no longer exists: the requirements were run again since. Review the new proposals.",
            ids=", ".join(map(str, missing))), "proposal_ids")
    done = [proposal for proposal in found if proposal.state != PROPOSED]
    if done:
        raise ValidationError(gettext(
            "Already %(state)s: %(names)s. Nothing was changed.",
            state=gettext("confirmed") if done[0].state == CONFIRMED else gettext("discarded"),
            names=", ".join(proposal.display_name for proposal in done)), "proposal_ids")
    return list(found)


def buying_available(session: Session) -> bool:
    """Whether an installed addon orders buy proposals (implements ``manufacturing_buy``)."""
    return bool(session.info["registry"].hook.manufacturing_buy.get_hookimpls())


def open_ids(session: Session, company_id: int) -> list[int]:
    return list(session.scalars(select(Proposal.id).where(Proposal.company_id == company_id,
                                                          Proposal.state == PROPOSED).order_by(Proposal.id)))


def confirm_proposals(session: Session, *, proposal_ids: Iterable[int]) -> list:
    """Confirm the proposals; return what was created (draft production orders, draft purchase orders)."""
    with session.begin_nested():
        proposals = _open_proposals(session, proposal_ids)
        buys = [proposal for proposal in proposals if proposal.kind == BUY]
        if buys and not buying_available(session):
            raise ValidationError(gettext(
                "%(names)s: buying needs the purchase addon. Order them yourself and discard these proposals.",
                names=", ".join(proposal.display_name for proposal in buys)), "proposal_ids")
        created = []
        for proposal in proposals:
            if proposal.kind == MAKE:
                production = create_production(
                    session, proposal.company_id, product_id=proposal.product_id, quantity=proposal.quantity,
                    bom_id=proposal.bom_id, warehouse_id=proposal.warehouse_id, scheduled_date=proposal.date_start,
                    origin=proposal.origin[:120] or None)
                proposal.production_id = production.id
                proposal.result = gettext("Draft production order")
                created.append(production)
        if buys:
            for answer in session.info["registry"].hook.manufacturing_buy(session=session, proposals=buys):
                created += list(answer or ())
        for proposal in proposals:
            proposal.state = CONFIRMED
        session.flush()
    return created


def discard_proposals(session: Session, *, proposal_ids: Iterable[int]) -> int:
    with session.begin_nested():
        proposals = _open_proposals(session, proposal_ids)
        for proposal in proposals:
            proposal.state = DISCARDED
        session.flush()
    return len(proposals)
