"""Leads to won deals: qualification, stages, won / lost / reopen, activities and the timeline."""
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from addons.contacts.services import create_partner
from addons.crm import services
from addons.crm.models import LEAD, LOST, OPEN, OPPORTUNITY, WON, Lead, LostReason, Stage, StageChange, Team
from core.chatter import services as chatter
from core.chatter.models import Message
from core.errors import AccessDenied, ValidationError

SALES, MANAGER, READONLY = "crm.group_salesperson", "crm.group_manager", "crm.group_readonly"


def new_lead(session, pipeline, owner, **values):
    values.setdefault("name", "Shop fittings")
    values.setdefault("email", "lucia@ferreteria.example")
    return services.create_lead(session, pipeline["company"], user_id=owner.id, team_id=pipeline["team"], **values)


def test_a_lead_becomes_a_won_opportunity_and_every_step_is_on_the_timeline(db_copy, pipeline):
    db = db_copy
    session = db.as_user(pipeline["ana"])
    lead = new_lead(session, pipeline, pipeline["ana"], partner_name="Ferretería Ibérica S.L.",
                    expected_revenue="18500.50")
    assert (lead.kind, lead.state, lead.expected_revenue) == (LEAD, OPEN, Decimal("18500.50"))
    services.qualify(session, lead, create_partner=True)
    assert lead.kind == OPPORTUNITY and lead.partner.name == "Ferretería Ibérica S.L." and lead.partner.is_company
    assert lead.stage.name == "New" and lead.probability == Decimal("10")
    services.set_stage(session, lead, stage_id=pipeline["stages"]["Proposal"])
    assert lead.probability == Decimal("60")
    services.mark_won(session, lead)
    session.commit()
    assert (lead.state, lead.stage.name, lead.probability) == (WON, "Won", Decimal("100"))
    assert lead.closed_at is not None
    moves = db.system().execute(select(StageChange.from_stage_id, StageChange.to_stage_id)
                                .where(StageChange.lead_id == lead.id).order_by(StageChange.id)).all()
    stages = pipeline["stages"]
    assert moves == [(None, stages["New"]), (stages["New"], stages["Proposal"]), (stages["Proposal"], stages["Won"])]
    messages = chatter.read_chatter(session, chatter.ref_of(session, lead)).messages
    assert [m.kind for m in messages].count("tracking") == 3
    assert "New → Proposal" in [m.body for m in messages]
    assert messages[0].body == "Won."


def test_qualifying_refuses_to_create_a_duplicate_partner_unless_forced(db_copy, pipeline):
    db = db_copy
    system = db.system()
    existing = create_partner(system, pipeline["company"], name="Ferretería Ibérica, S.L.", is_company=True,
                              email="info@ferreteria.example")
    system.commit()
    session = db.as_user(pipeline["ana"])
    lead = new_lead(session, pipeline, pipeline["ana"], partner_name="Ferreteria Iberica SL")
    session.commit()
    with pytest.raises(ValidationError, match="Possible duplicates: Ferretería Ibérica, S.L."):
        services.qualify(session, lead, create_partner=True)
    session.rollback()
    lead = session.get(Lead, lead.id)
    assert lead.kind == LEAD and lead.partner_id is None
    services.qualify(session, lead, partner_id=existing.id)
    assert lead.partner_id == existing.id


def test_lost_needs_a_reason_of_the_same_company_and_reopen_restores(db_copy, pipeline):
    db = db_copy
    session = db.as_user(pipeline["ana"])
    lead = new_lead(session, pipeline, pipeline["ana"])
    services.qualify(session, lead)
    with pytest.raises(ValidationError, match="Choose why it was lost"):
        services.mark_lost(session, lead, lost_reason_id=None)
    reason = session.scalars(select(LostReason)).one()
    services.mark_lost(session, lead, lost_reason_id=reason.id, note="Chose the cheaper offer")
    assert (lead.state, lead.probability, lead.lost_reason.name) == (LOST, Decimal("0"), "Too expensive")
    with pytest.raises(ValidationError, match="Only an open lead or opportunity can be lost"):
        services.mark_lost(session, lead, lost_reason_id=reason.id)
    services.reopen(session, lead)
    assert (lead.state, lead.lost_reason_id, lead.probability) == (OPEN, None, Decimal("10"))


def test_a_stage_of_another_teams_pipeline_is_refused(db_copy, pipeline):
    db = db_copy
    system = db.system()
    other_team = Team(company_id=pipeline["company"], name="Export")
    system.add(other_team)
    system.flush()
    foreign = Stage(company_id=pipeline["company"], name="Export only", team_id=other_team.id)
    system.add(foreign)
    system.commit()
    session = db.as_user(pipeline["ana"])
    lead = new_lead(session, pipeline, pipeline["ana"])
    with pytest.raises(ValidationError, match="another team's pipeline"):
        services.set_stage(session, lead, stage_id=foreign.id)
    session.rollback()
    boss = db.as_user(pipeline["boss"])
    ours = new_lead(boss, pipeline, pipeline["boss"], name="Ours")
    theirs = services.create_lead(boss, pipeline["company"], name="Theirs", team_id=other_team.id)
    with pytest.raises(ValidationError, match="another team's pipeline. Refused: Ours.") as error:
        services.set_stage_leads(boss, [ours, theirs], stage_id=foreign.id)  # a batch names the leads refused
    assert "Theirs" not in str(error.value)
    services.set_stage_leads(boss, [theirs], stage_id=foreign.id)
    assert theirs.stage_id == foreign.id and theirs.kind == OPPORTUNITY


def test_salespeople_see_their_teams_deals_but_change_only_their_own(db_copy, pipeline):
    db = db_copy
    ana_session = db.as_user(pipeline["ana"])
    lead = new_lead(ana_session, pipeline, pipeline["ana"])
    ana_session.commit()
    teammate = db.as_user(pipeline["bea"])
    seen = teammate.get(Lead, lead.id)
    assert seen is not None
    seen.name = "Taken over"
    with pytest.raises(AccessDenied, match="may not write Lead"):
        teammate.flush()
    teammate.rollback()
    assert db.as_user(pipeline["carl"]).get(Lead, lead.id) is None
    boss = db.as_user(pipeline["boss"])
    boss_lead = boss.get(Lead, lead.id)
    services.update_lead(boss, boss_lead, name="Reviewed by the manager")
    boss.commit()
    reader = db.as_user(db.user("auditor", groups=[READONLY]))
    assert reader.get(Lead, lead.id).name == "Reviewed by the manager"
    with pytest.raises(AccessDenied):
        services.create_lead(reader, pipeline["company"], name="Not allowed")


def test_activities_and_emails_of_a_lead_are_in_its_core_chatter_and_mark_it_active(db_copy, pipeline):
    db = db_copy
    session = db.as_user(pipeline["ana"])
    system = db.system()
    partner = create_partner(system, pipeline["company"], name="Rossi Arredamenti S.r.l.", is_company=True)
    system.commit()
    lead = new_lead(session, pipeline, pipeline["ana"], partner_id=partner.id)
    services.qualify(session, lead)
    ref = chatter.ref_of(session, lead)
    activity = chatter.schedule_activity(session, ref, kind="call", summary="Call Giulia",
                                         user_id=pipeline["ana"].id, due_date=dt.date(2026, 1, 5))
    assert chatter.read_chatter(session, ref).activities == [activity]
    chatter.finish_activity(session, activity.id, "Wants a quote by Friday")
    with pytest.raises(ValidationError, match="already closed"):
        chatter.finish_activity(session, activity.id)
    assert lead.last_activity_at is None  # a stage change or a system line is no activity
    chatter.log_message(session, ref, kind="email_in", subject="Re: quote", text="Here are the sizes\n<b>30 cm</b>")
    session.commit()
    found = chatter.read_chatter(session, ref)
    assert found.activities == [] and [a.feedback for a in found.closed_activities] == ["Wants a quote by Friday"]
    assert (found.messages[0].kind, found.messages[0].body) == ("email_in", "Here are the sizes<br>&lt;b&gt;30 cm&lt;/b&gt;")
    assert lead.last_activity_at == found.messages[0].at


def test_bad_lead_input_is_refused_with_the_field(db_copy, pipeline):
    db = db_copy
    session = db.as_user(pipeline["ana"])
    for values, field in (({"email": "nope"}, "email"), ({"expected_revenue": "lots"}, "expected_revenue"),
                          ({"expected_revenue": "-5"}, "expected_revenue"),
                          ({"country_code": "Atlantis"}, "country_code"),
                          ({"name": "", "email": None}, "name"), ({"description": "x" * 20_001}, "description")):
        with pytest.raises(ValidationError) as error:
            new_lead(session, pipeline, pipeline["ana"], **values)
        assert error.value.field == field
    session.rollback()
    assert db.system().scalars(select(Lead)).all() == []
    assert db.system().scalars(select(Message)).all() == []


def test_stages_are_read_once_per_transaction_and_a_stage_changed_in_it_counts_at_once(db_copy, pipeline):
    from sqlalchemy import event

    db = db_copy
    session = db.as_user(pipeline["boss"])
    stage_reads = []
    event.listen(db.engine, "before_cursor_execute", lambda _c, _cursor, statement, *_rest: stage_reads.append(
        statement) if statement.lstrip().startswith("SELECT") and "FROM crm_stage" in statement else None)
    leads = [new_lead(session, pipeline, pipeline["boss"], name=f"Deal {n}") for n in range(3)]
    for lead in leads:
        services.qualify(session, lead)
        services.mark_won(session, lead)
    assert len(stage_reads) == 1
    late = new_lead(session, pipeline, pipeline["boss"], name="Late deal")
    session.get(Stage, pipeline["stages"]["Proposal"]).sequence = -1  # not flushed: qualifying must see it first
    services.qualify(session, late)
    assert late.stage.name == "Proposal" and late.probability == Decimal("60")
    session.commit()
    moves = db.system().execute(select(StageChange.lead_id, StageChange.to_stage_id).order_by(StageChange.id)).all()
    stages = pipeline["stages"]
    assert moves == [row for lead in leads for row in ((lead.id, stages["New"]), (lead.id, stages["Won"]))] + [
        (late.id, stages["Proposal"])]
    assert all(lead.state == WON and lead.probability == Decimal("100") for lead in leads)
