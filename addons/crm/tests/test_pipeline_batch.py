"""Qualifying, moving and winning many leads at once: the same rows, audit entries and messages as one by one,
refused as a whole, with the user's access and record rules."""
import pytest
from sqlalchemy import func, select

from addons.crm import services
from addons.crm.models import LEAD, OPEN, OPPORTUNITY, WON, Lead, StageChange
from core.chatter.models import Message
from core.errors import AccessDenied, ValidationError
from core.models import AuditLog, JobRecord

from .test_pipeline import READONLY, new_lead

#: what differs between two runs of the same steps: ids, names, the clock
VARYING = {"id", "name", "created_at", "updated_at", "qualified_at", "closed_at", "at", "lead_id"}


def _history(session, leads: list[Lead], after_audit: int) -> list[dict]:
    """For each lead, in order: its columns, stage moves, messages and audit entries (the later ones), with
    what varies between runs blanked (a timestamp: set or not)."""
    def plain(values: dict) -> dict:
        return {key: (value is not None) if key in VARYING else value for key, value in values.items()}

    found = []
    for lead in leads:
        row = session.execute(select(Lead.__table__).where(Lead.id == lead.id)).one()._asdict()
        moves = session.execute(select(StageChange.from_stage_id, StageChange.to_stage_id, StageChange.user_id)
                                .where(StageChange.lead_id == lead.id).order_by(StageChange.id)).all()
        messages = session.scalars(select(Message).where(Message.res_model == "crm_lead", Message.res_id == lead.id)
                                   .order_by(Message.id)).all()
        audit = session.execute(
            select(AuditLog.table_name, AuditLog.action, AuditLog.user_id, AuditLog.changes).where(
                AuditLog.id > after_audit, AuditLog.table_name == "crm_lead", AuditLog.record_id == lead.id)
            .order_by(AuditLog.table_name, AuditLog.id)).all()
        found.append({
            "lead": plain(row), "moves": [tuple(move) for move in moves],
            "messages": [(m.kind, m.body, m.company_id, m.author_id, m.subject) for m in messages],
            "audit": [(table, action, user, plain({key: tuple(value) for key, value in changes.items()}))
                      for table, action, user, changes in audit]})
    return found


def _last_audit(session) -> int:
    return session.scalar(select(func.max(AuditLog.id))) or 0


def _jobs(session) -> int:
    return session.scalar(select(func.count(JobRecord.id)))


def test_batches_write_exactly_what_the_services_write_one_by_one(db_copy, pipeline):
    db = db_copy
    session = db.as_user(pipeline["ana"])
    proposal = pipeline["stages"]["Proposal"]
    one = [new_lead(session, pipeline, pipeline["ana"], name=f"One {n}", expected_revenue=100 * n) for n in range(3)]
    many = [new_lead(session, pipeline, pipeline["ana"], name=f"Many {n}", expected_revenue=100 * n) for n in range(3)]
    session.commit()
    before, jobs = _last_audit(db.system()), _jobs(db.system())
    for step in (lambda lead: services.qualify(session, lead),
                 lambda lead: services.set_stage(session, lead, stage_id=proposal),
                 lambda lead: services.mark_won(session, lead)):
        for lead in one:
            step(lead)
            session.flush()
    session.commit()
    singly = _history(db.system(), one, before)
    before = _last_audit(db.system())
    services.qualify_leads(session, many)
    services.set_stage_leads(session, many, stage_id=proposal)
    services.mark_won_leads(session, many)
    session.commit()
    assert _history(db.system(), many, before) == singly
    assert _jobs(db.system()) == jobs  # moving leads queues nothing, either way
    assert singly[0]["moves"] == [(None, pipeline["stages"]["New"], pipeline["ana"].id),
                                  (pipeline["stages"]["New"], proposal, pipeline["ana"].id),
                                  (proposal, pipeline["stages"]["Won"], pipeline["ana"].id)]
    assert [kind for kind, *_ in singly[0]["messages"]] == ["system", "tracking", "system", "tracking", "tracking",
                                                            "system"]
    assert [action for _table, action, *_ in singly[0]["audit"]] == ["update"] * 3  # the chatter is not audited
    assert all(lead.state == WON and lead.kind == OPPORTUNITY for lead in many)


def test_a_batch_with_one_lead_breaking_a_rule_is_refused_as_a_whole_naming_it(db_copy, pipeline):
    db = db_copy
    session = db.as_user(pipeline["ana"])
    leads = [new_lead(session, pipeline, pipeline["ana"], name=f"Deal {n}") for n in range(3)]
    services.mark_won(session, leads[1])
    session.commit()
    before = _last_audit(db.system())
    with pytest.raises(ValidationError, match="Only an open lead can be qualified. Refused: Deal 1.") as error:
        services.qualify_leads(session, leads)
    assert "Deal 0" not in str(error.value)
    with pytest.raises(ValidationError, match="Only an open opportunity can be won. Refused: Deal 1."):
        services.mark_won_leads(session, leads)
    with pytest.raises(ValidationError, match="Reopen the opportunity before moving it. Refused: Deal 1.") as error:
        services.set_stage_leads(session, leads, stage_id=pipeline["stages"]["Proposal"])
    assert error.value.field == "stage_id"
    session.rollback()
    system = db.system()
    assert [(lead.kind, lead.state) for lead in system.scalars(select(Lead).order_by(Lead.id))] == [
        (LEAD, OPEN), (OPPORTUNITY, WON), (LEAD, OPEN)]
    assert _last_audit(system) == before


def test_a_user_without_write_access_is_refused(db_copy, pipeline):
    db = db_copy
    session = db.as_user(pipeline["ana"])
    lead = new_lead(session, pipeline, pipeline["ana"])
    session.commit()
    reader = db.as_user(db.user("auditor", groups=[READONLY]))
    seen = reader.scalars(select(Lead)).all()
    assert [lead.id for lead in seen] == [lead.id]
    with pytest.raises(AccessDenied, match="may not write Lead"):
        services.qualify_leads(reader, seen)
    reader.rollback()
    assert db.system().get(Lead, lead.id).kind == LEAD


def test_a_salesperson_cannot_move_a_teammates_lead_in_a_batch(db_copy, pipeline):
    db = db_copy
    ana, bea = db.as_user(pipeline["ana"]), db.as_user(pipeline["bea"])
    hers = new_lead(bea, pipeline, pipeline["bea"], name="Bea's deal")
    bea.commit()
    mine = new_lead(ana, pipeline, pipeline["ana"], name="Ana's deal")
    ana.commit()
    before = _last_audit(db.system())
    seen = ana.scalars(select(Lead).order_by(Lead.id)).all()
    assert [lead.name for lead in seen] == ["Bea's deal", "Ana's deal"]  # the team's leads are visible to her
    with pytest.raises(AccessDenied, match=f"may not write Lead {hers.id} "):
        services.mark_won_leads(ana, seen)
    ana.rollback()
    system = db.system()
    assert [lead.state for lead in system.scalars(select(Lead).order_by(Lead.id))] == [OPEN, OPEN]
    assert system.scalar(select(func.count(Message.id)).where(Message.kind != "system")) == 0
    assert _last_audit(system) == before
    services.mark_won_leads(ana, [ana.get(Lead, mine.id)])
    ana.commit()
    assert db.system().get(Lead, mine.id).state == WON
