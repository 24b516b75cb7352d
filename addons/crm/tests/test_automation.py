"""Automation rules: validation, what each rule does to a new lead, reminders, and the real queue end to end."""
import datetime as dt

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from addons.crm import automation, capture, services
from addons.crm.models import OPPORTUNITY, Lead, Team, Unsubscribe
from core.catalog import Catalog
from core.chatter import services as chatter
from core.chatter.models import Activity, Message
from core.config import load_config
from core.db import utcnow
from core.errors import ValidationError
from core.jobs import JobQueue, use_queue
from core.jobs.worker import Worker
from core.lifecycle import Lifecycle
from core.models.mail import Mail
from core.models import User
from core.sessions import make_session_factory
from core.security import actor_session
from core.testing import free_port, initialized_database

from .conftest import Inbox, wait_for


def rule(session, company, **values):
    return automation.save_rule(session, company, **values)


@pytest.mark.parametrize("values, field, message", [
    ({"action": "nope"}, "action", "Action: nope is not one of the choices"),
    ({"action": "assign_round_robin"}, "team_id", "Choose the team"),
    ({"action": "assign_by_country", "parameters": {"countries": {"Spain": "ana"}}}, "parameters", "two-letter"),
    ({"action": "classify", "parameters": {"keywords": {"complaint": []}}}, "parameters", "has no keywords"),
    ({"action": "classify", "parameters": {"keywords": {"gossip": ["x"]}}}, "parameters", "Unknown category"),
    ({"action": "acknowledge", "parameters": {"subject": "Hi"}}, "parameters", "needs a subject and a text"),
    ({"action": "remind_inactive", "parameters": {"days": 0}}, "parameters", "between 1 and 365"),
])
def test_bad_rules_are_refused_with_the_field(db_copy, values, field, message):
    session = db_copy.system()
    with pytest.raises(ValidationError, match=message) as error:
        rule(session, db_copy.main_company.id, name="Bad", **values)
    assert error.value.field == field


def test_new_lead_rules_classify_assign_by_country_and_in_turn(db_copy):
    session = db_copy.system()
    company = db_copy.main_company.id
    ana = db_copy.user("ana", groups=["crm.group_salesperson"])
    bea = db_copy.user("bea", groups=["crm.group_salesperson"])
    luca = db_copy.user("luca", groups=["crm.group_salesperson"])
    session = db_copy.system()
    team = Team(company_id=company, name="Iberia", members=[session.get(User, ana.id), session.get(User, bea.id)])
    session.add(team)
    session.flush()
    rule(session, company, name="Classify", sequence=1, action="classify",
         parameters={"keywords": {"complaint": ["reclamación", "queja"], "quote_request": "presupuesto, preventivo"}})
    rule(session, company, name="Italy", sequence=2, action="assign_by_country", parameters={"countries": {"it": "luca"}})
    rule(session, company, name="Iberia in turn", sequence=3, action="assign_round_robin", team_id=team.id)
    session.commit()
    leads = [Lead(company_id=company, name=name, country_code=country, source="web")
             for name, country in (("Queja por retraso", "ES"), ("Preventivo scaffali", "IT"),
                                   ("Hola", "ES"), ("Otra RECLAMACIÓN", "ES"))]
    session.add_all(leads)
    session.flush()
    for lead in leads:
        automation.run_new_lead_rules(session, lead)
    assert [lead.category for lead in leads] == ["complaint", "quote_request", None, "complaint"]
    owners = [lead.user_id for lead in leads]
    assert owners[1] == luca.id
    assert [owners[0], owners[2], owners[3]] == [ana.id, bea.id, ana.id]


def test_a_rule_matching_every_lead_acts_once_per_lead_and_never_loops(db_copy):
    session = db_copy.system()
    company = db_copy.main_company.id
    rule(session, company, name="Everything is a question", action="classify",
         parameters={"keywords": {"question": ["a", "e", "i", "o", "u", "the", "el", "il"]}})
    for number in range(50):
        services.create_lead(session, company, name=f"Lead {number} a e i o u")
    session.commit()
    for lead in session.scalars(select(Lead)):
        assert automation.run_new_lead_rules(session, lead) == ["Everything is a question: question"]
        assert automation.run_new_lead_rules(session, lead) == []  # a second run changes nothing


def _quiet_opportunity(db_copy, days=10):
    """An opportunity of ana's created ``days`` ago, untouched since, and a rule reminding after 7 idle days."""
    session = db_copy.system()
    company = db_copy.main_company.id
    ana = db_copy.user("ana", groups=["crm.group_salesperson"])
    session = db_copy.system()
    rule(session, company, name="Nudge", action="remind_inactive", parameters={"days": 7})
    lead = services.create_lead(session, company, name="Quiet deal", user_id=ana.id)
    lead.kind = OPPORTUNITY
    lead.created_at = utcnow() - dt.timedelta(days=days)
    session.commit()
    return session, ana, lead


def test_inactive_opportunities_get_one_follow_up(db_copy):
    session, ana, lead = _quiet_opportunity(db_copy)
    assert automation.remind_inactive(session) == 1
    assert automation.remind_inactive(session) == 0  # an open follow-up exists already
    [activity] = session.scalars(select(Activity)).all()
    assert (activity.user_id, activity.res_model, activity.res_id, activity.state, activity.summary) == (
        ana.id, "crm_lead", lead.id, "open", "Follow up: no activity for 7 days")
    chatter.finish_activity(session, activity.id)
    session.commit()
    assert automation.remind_inactive(session) == 0  # the follow-up done today is activity


def test_a_note_logged_in_the_chatter_by_its_salesperson_counts_as_activity_on_the_lead(db_copy):
    session, ana, lead = _quiet_opportunity(db_copy)
    as_ana = db_copy.as_user(ana)
    chatter.post_message(as_ana, chatter.record_of(as_ana, "crm_lead", lead.id), "Called, they are thinking")
    as_ana.commit()
    session.expire_all()
    assert session.get(Lead, lead.id).last_activity_at is not None  # chatter_logged told CRM
    assert automation.remind_inactive(session) == 0


def test_a_stage_change_is_not_activity_and_the_rule_still_fires(db_copy):
    session, _ana, lead = _quiet_opportunity(db_copy)
    chatter.log_message(session, chatter.ref_of(session, lead), kind="tracking", text="A → B")
    session.commit()
    assert session.get(Lead, lead.id).last_activity_at is None
    assert automation.remind_inactive(session) == 1


def test_a_user_who_may_only_read_the_lead_logs_a_note_and_the_lead_is_marked_active(db_copy):
    session, _ana, lead = _quiet_opportunity(db_copy)
    reader = db_copy.user("rita", groups=["crm.group_readonly"])
    as_reader = db_copy.as_user(reader)
    chatter.post_message(as_reader, chatter.record_of(as_reader, "crm_lead", lead.id), "Saw it at the fair")
    as_reader.commit()
    session.expire_all()
    assert session.get(Lead, lead.id).last_activity_at is not None
    assert [m.kind for m in session.scalars(select(Message).where(Message.res_id == lead.id)
                                            .order_by(Message.id))] == ["system", "note"]


def test_reminders_mail_each_assignee_their_due_lead_activities_once(db_copy):
    session, ana, lead = _quiet_opportunity(db_copy)
    session.get(User, ana.id).email = "ana@example.es"
    today = utcnow().date()
    ref = chatter.ref_of(session, lead)
    chatter.schedule_activity(session, ref, kind="call", summary="Call back", due_date=today - dt.timedelta(days=1),
                              user_id=ana.id)
    chatter.schedule_activity(session, ref, kind="task", summary="Later", due_date=today + dt.timedelta(days=3),
                              user_id=ana.id)
    session.commit()
    assert automation.send_activity_reminders(session, today) == 1
    assert automation.send_activity_reminders(session, today) == 0
    [mail] = session.scalars(select(Mail)).all()
    assert mail.to == "ana@example.es" and "Call back" in mail.text and "Later" not in mail.text


def test_unsubscribed_addresses_get_no_acknowledgement(db_copy):
    session = db_copy.system()
    company = db_copy.main_company.id
    rule(session, company, name="Thanks", action="acknowledge", parameters={"subject": "Gracias", "body": "Hola {name}"})
    session.add(Unsubscribe(company_id=company, email="no@example.es", at=utcnow()))
    lead = Lead(company_id=company, name="x", email="no@example.es", source="web")
    session.add(lead)
    session.flush()
    assert automation.run_new_lead_rules(session, lead) == []
    assert session.scalars(select(Mail)).all() == []


def test_a_web_lead_is_assigned_classified_and_acknowledged_by_the_real_queue_and_smtp(tmp_path, databases):
    inbox, port = Inbox(), free_port()
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    catalog = Catalog.discover()
    url = databases.new()
    engine = initialized_database(url, catalog, ["crm"])
    config_path = tmp_path / "bottega.toml"
    config_path.write_text(f'[database]\nurl = "{url}"\n[jobs]\nsqlite_path = "{tmp_path / "jobs.db"}"\n'
                           f'[mail]\nsmtp_host = "127.0.0.1"\nsmtp_port = {port}\nfrom_address = "ventas@bottega.example"\n')
    config = load_config(config_path, environ={})
    queue = JobQueue.from_config(config, name=f"crm_{port}")
    worker = None
    try:
        with use_queue(queue):
            registry = Lifecycle(engine, catalog).registry()
            factory = make_session_factory(engine)
            with actor_session(factory, registry, None) as session:
                admin = session.scalars(select(User).where(User.login == "admin")).one()
                team = Team(company_id=1, name="Web", members=[admin])
                session.add(team)
                session.flush()
                automation.save_rule(session, 1, name="Classify", sequence=1, action="classify",
                                     parameters={"keywords": {"quote_request": ["presupuesto"]}})
                automation.save_rule(session, 1, name="In turn", sequence=2, action="assign_round_robin",
                                     team_id=team.id)
                automation.save_rule(session, 1, name="Thanks", sequence=3, action="acknowledge",
                                     parameters={"subject": "Gracias", "body": "Hola {name}, le respondemos pronto."})
                lead = capture.from_web_form(session, team, {"name": "Lucía", "email": "lucia@example.es",
                                                             "subject": "Presupuesto de estanterías"})
                session.commit()
                lead_id = lead.id
            worker = Worker(config, catalog, engine, queue).start(1, False)

            def mail_states():
                with actor_session(factory, registry, None) as session:
                    return session.scalars(select(Mail.state)).all()

            wait_for(lambda: mail_states() == ["sent"])  # recorded once the server has accepted the mail
            assert [m["Subject"] for m in inbox.messages] == ["Gracias"]
            assert inbox.messages[0].get_content().strip() == "Hola Lucía, le respondemos pronto."
            assert inbox.messages[0]["Auto-Submitted"] == "auto-replied"  # no auto-responder answers it back
            with actor_session(factory, registry, None) as session:
                lead = session.get(Lead, lead_id)
                assert (lead.category, lead.user_id) == ("quote_request", admin.id)
                acknowledged = session.scalars(select(Message).where(Message.res_model == "crm_lead",
                                                                     Message.res_id == lead_id,
                                                                     Message.kind == "email")).one()
                assert acknowledged.subject == "Gracias" and lead.last_activity_at is not None
    finally:
        if worker is not None:
            worker.stop()
        smtp.stop()
        engine.dispose()
