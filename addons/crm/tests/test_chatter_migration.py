"""Upgrading a database where CRM kept its own timeline (revision 5c1e7a3f9b20): messages and activities move to
the core chatter, linked to their lead or partner, and come back on a downgrade."""
from sqlalchemy import select, text

from addons.contacts.models import Partner
from addons.crm.models import Lead
from core.chatter import services as chatter
from core.chatter.models import Activity, Message
from core.lifecycle import Lifecycle
from core.lifecycle.database import migration_transaction
from core.security import actor_session, load_actor
from core.sessions import make_session_factory
from core.testing import initialized_database
from tests.lifecycle_helpers import downgrade, query, tables

BEFORE = "b7e4c2a91d05"
NOW = "2026-01-02 10:00:00"


def _insert(connection, sql, **values):
    return connection.execute(text(sql + " RETURNING id"), values).scalar_one()


def _old_timeline(connection):
    """A partner, its lead, two users' messages and activities as CRM stored them; returns the ids."""
    company = connection.scalar(text("SELECT min(id) FROM core_company"))
    admin = connection.scalar(text("SELECT id FROM core_user WHERE login = 'admin'"))
    partner = _insert(connection, "INSERT INTO contacts_partner (company_id, name, is_company, active, created_at, "
                                  "updated_at) VALUES (:company, 'Rossi', true, true, :now, :now)",
                      company=company, now=NOW)
    lead = _insert(connection, "INSERT INTO crm_lead (company_id, kind, name, state, probability, priority, "
                               "expected_revenue, source, partner_id, created_at, updated_at) VALUES (:company, "
                               "'opportunity', 'Chairs', 'open', 10, '0', 0, 'manual', :partner, :now, :now)",
                   company=company, partner=partner, now=NOW)
    for kind, lead_id, body, at in (("email_in", lead, "Need 40 <chairs>\nBy Friday", "2026-01-03 09:00:00"),
                                    ("stage", lead, "New → Proposal", "2026-01-04 09:00:00"),
                                    ("email_out", lead, "Offer sent", "2026-01-05 09:00:00"),
                                    ("call", None, "Rossi called about the invoice", "2026-01-06 09:00:00")):
        connection.execute(text(
            "INSERT INTO crm_message (company_id, kind, lead_id, partner_id, author_id, subject, body, at) "
            "VALUES (:company, :kind, :lead, :partner, :admin, :subject, :body, :at)"),
            {"company": company, "kind": kind, "lead": lead_id, "partner": partner, "admin": admin,
             "subject": "Re: chairs" if kind == "email_in" else None, "body": body, "at": at})
    for summary, lead_id, done_at in (("Call Giulia", lead, "2026-01-07 11:00:00"), ("Send samples", lead, None),
                                      ("Visit Rossi", None, None)):
        connection.execute(text(
            "INSERT INTO crm_activity (company_id, kind, summary, note, lead_id, partner_id, user_id, due_date, "
            "done_at, created_at, updated_at) VALUES (:company, 'call', :summary, 'Ask for Giulia', :lead, "
            ":partner, :admin, '2026-01-10', :done_at, :now, :now)"),
            {"company": company, "summary": summary, "lead": lead_id, "partner": partner, "admin": admin,
             "done_at": done_at, "now": NOW})
    return company, admin, partner, lead


def test_crm_messages_and_activities_move_to_the_core_chatter_and_back(databases, catalog):
    url = databases.new()
    engine = initialized_database(url, catalog, ["crm"])
    try:
        migrations = downgrade(engine, catalog, BEFORE)
        assert {"crm_message", "crm_activity"} <= tables(url)
        with migration_transaction(engine) as connection:
            company, admin, partner, lead = _old_timeline(connection)
            migrations.upgrade(connection, "crm")
        assert not {"crm_message", "crm_activity"} & tables(url)
        messages = query(url, "SELECT res_model, res_id, kind, author_id, subject, body, company_id FROM core_message "
                              "ORDER BY at")
        assert messages == [
            ("crm_lead", lead, "email_in", admin, "Re: chairs", "Need 40 &lt;chairs&gt;<br>By Friday", company),
            ("crm_lead", lead, "tracking", admin, None, "New → Proposal", company),
            ("crm_lead", lead, "email", admin, None, "Offer sent", company),
            ("contacts_partner", partner, "call", admin, None, "Rossi called about the invoice", company)]
        activities = query(url, "SELECT res_model, res_id, summary, note, user_id, due_date, state, done_at, "
                                "company_id FROM core_activity ORDER BY summary")
        assert [(row[0], row[1], row[2], row[4], str(row[5]), row[6], row[7] is not None, row[8])
                for row in activities] == [
            ("crm_lead", lead, "Call Giulia", admin, "2026-01-10", "done", True, company),
            ("crm_lead", lead, "Send samples", admin, "2026-01-10", "open", False, company),
            ("contacts_partner", partner, "Visit Rossi", admin, "2026-01-10", "open", False, company)]

        registry = Lifecycle(engine, catalog).registry()  # the lead's chatter, as its user reads it
        factory = make_session_factory(engine)
        with factory() as lookup:
            actor = load_actor(lookup, registry, admin, None)
        with actor_session(factory, registry, actor) as session:
            found = chatter.read_chatter(session, chatter.record_of(session, "crm_lead", lead))
            assert [m.kind for m in found.messages] == ["email", "tracking", "email_in"]
            assert [a.summary for a in found.activities] == ["Send samples"]
            assert [a.summary for a in found.closed_activities] == ["Call Giulia"]
            assert [p.activity.summary for p in chatter.my_activities(session)] == ["Send samples", "Visit Rossi"]
            assert session.get(Lead, lead).partner_id == session.get(Partner, partner).id

        downgrade(engine, catalog, BEFORE)
        back = query(url, "SELECT kind, lead_id, partner_id, body FROM crm_message ORDER BY at")
        assert back == [("email_in", lead, partner, "Need 40 <chairs>\nBy Friday"),
                        ("stage", lead, partner, "New → Proposal"), ("email_out", lead, partner, "Offer sent")]
        assert query(url, "SELECT summary, done_at IS NOT NULL FROM crm_activity ORDER BY summary") == [
            ("Call Giulia", True), ("Send samples", False)]
        assert query(url, "SELECT res_model, kind FROM core_message") == [("contacts_partner", "call")]
        with engine.connect() as connection:  # the partner's own stay in its chatter
            assert connection.scalars(select(Activity.summary)).all() == ["Visit Rossi"]
            assert connection.scalar(select(Message.body)) == "Rossi called about the invoice"
    finally:
        engine.dispose()
