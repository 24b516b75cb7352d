"""Leads from outside: the embeddable web form, and incoming email."""
from email.message import EmailMessage

import pytest
from sqlalchemy import select

from addons.crm import capture
from addons.crm.models import Lead, Team
from core.chatter.models import Attachment, Message
from core.mail_in.models import ReceivedMail
from core.errors import ValidationError


@pytest.fixture
def team(db):
    session = db.system()
    team = Team(company_id=db.main_company.id, name="Web")
    session.add(team)
    session.commit()
    return team


def leads(db):
    return db.system().scalars(select(Lead).order_by(Lead.id)).all()


def mail(sender="Lucía <lucia@example.es>", subject="Presupuesto estanterías", body="Necesito 40 estanterías.",
         attachment: bytes | None = None) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "ventas@bottega.example"
    message["Subject"] = subject
    message.set_content(body)
    if attachment is not None:
        message.add_attachment(attachment, maintype="application", subtype="pdf", filename="plano.pdf")
    return message.as_bytes()


def test_a_web_form_creates_a_lead_for_the_team(db, team):
    session = db.system()
    lead = capture.from_web_form(session, team, {"name": "Ana", "email": "ANA@example.es", "company": "Ana S.L.",
                                                 "message": "Call me", "country": "es"})
    session.commit()
    [stored] = leads(db)
    assert (stored.id, stored.source, stored.team_id, stored.email, stored.partner_name, stored.country_code) == (
        lead.id, "web", team.id, "ana@example.es", "Ana S.L.", "ES")


def test_a_form_names_its_campaign_and_the_lead_is_attributed_to_it(db, team):
    from addons.crm.models import Campaign

    session = db.system()
    campaign = Campaign(company_id=db.main_company.id, name="Autumn")
    session.add(campaign)
    session.flush()
    lead = capture.from_web_form(session, team, {"email": "a@example.es", "campaign": str(campaign.id)})
    unknown = capture.from_web_form(session, team, {"email": "b@example.es", "campaign": "999999"})
    assert (lead.campaign_id, unknown.campaign_id) == (campaign.id, None)


def test_a_form_filled_by_a_bot_creates_nothing(db, team):
    session = db.system()
    assert capture.from_web_form(session, team, {"email": "bot@spam.example", "website": "http://spam"}) is None
    session.commit()
    assert leads(db) == []


def test_a_form_without_a_way_to_answer_is_refused(db, team):
    with pytest.raises(ValidationError, match="email address or a phone number"):
        capture.from_web_form(db.system(), team, {"name": "Nobody"})


def test_an_email_becomes_a_lead_and_the_next_one_from_the_sender_joins_it(db, team):
    session = db.system()
    first = capture.from_email(session, team, mail())
    second = capture.from_email(session, team, mail(subject="Re: Presupuesto", body="¿Alguna novedad?"))
    session.commit()
    assert (first.created, second.created, first.lead_id) == (True, False, second.lead_id)
    [lead] = leads(db)
    assert (lead.source, lead.email, lead.contact_name, lead.name) == ("email", "lucia@example.es", "Lucía",
                                                                         "Presupuesto estanterías")
    bodies = [m.body for m in db.system().scalars(select(Message).where(Message.kind == "email_in"))]
    assert bodies == ["Necesito 40 estanterías.", "¿Alguna novedad?"]


def test_a_20_mb_attachment_is_named_not_stored(db, team):
    session = db.system()
    result = capture.from_email(session, team, mail(attachment=b"%PDF" + b"0" * (20 * 1024 * 1024)))
    session.commit()
    lead = db.system().get(Lead, result.lead_id)
    assert "Attachments (not stored): plano.pdf" in lead.description
    assert len(lead.description) < 1000


@pytest.mark.parametrize("raw, message", [
    (b"", "The message is empty."),
    (b"this is not\x00 an email at all", "This is not an email message"),
    (b"From: not an address\r\nSubject: hi\r\n\r\nbody", "no valid sender address"),
    (b"From: =?utf-8?q?broken\r\nSubject: =?x-unknown?b?!!!?=\r\n\r\nbody", "no valid sender address"),
])
def test_malformed_messages_are_refused_clearly_and_store_nothing(db, team, raw, message):
    session = db.system()
    with pytest.raises(ValidationError, match=message):
        capture.from_email(session, team, raw)
    session.rollback()
    assert leads(db) == []


def test_a_malformed_subject_does_not_lose_the_message(db, team):
    session = db.system()
    raw = b"From: Marco <marco@example.it>\r\nSubject: =?x-unknown?b?!!!?=\r\n\r\nVorrei un preventivo."
    result = capture.from_email(session, team, raw)
    session.commit()
    assert db.system().get(Lead, result.lead_id).description == "Vorrei un preventivo."


def test_the_public_form_endpoint_works_without_login_or_csrf_and_refuses_unknown_keys(web, web_team):
    team = web_team
    client = web.client()
    page = client.get(f"/crm/capture/{team.capture_key}")
    assert page.status_code == 200 and 'name="website"' in page.get_data(as_text=True)
    assert "X-Frame-Options" not in page.headers
    posted = client.client.post(f"/crm/capture/{team.capture_key}", data={"name": "Ana", "email": "ana@example.es"})
    assert posted.status_code == 201
    as_json = client.client.post(f"/crm/capture/{team.capture_key}", json={"phone": "+34 600 000 000"})
    assert as_json.status_code == 201 and as_json.get_json()["ok"] is True
    refused = client.client.post(f"/crm/capture/{team.capture_key}", json={"name": "No contact"})
    assert refused.status_code == 422 and refused.get_json()["field"] == "email"
    assert client.client.post("/crm/capture/not-a-key", data={"email": "a@b.es"}).status_code == 404
    assert [lead.source for lead in web.db.system().scalars(select(Lead))] == ["web", "web"]


def test_the_inbound_email_endpoint_takes_raw_messages(web, web_team):
    """Posted mail is received as mail to an alias is: the lead, its message and attachment on the timeline once,
    a row in Received mail; a reply joins the lead; garbage is refused and logged as rejected."""
    team = web_team
    client = web.client()
    response = client.client.post(f"/crm/inbound-email/{team.capture_key}", data=mail(attachment=b"%PDF-1.4 plano"),
                                  content_type="message/rfc822")
    assert response.status_code == 201 and response.get_json()["created"] is True
    lead_id = response.get_json()["lead"]
    again = client.client.post(f"/crm/inbound-email/{team.capture_key}", data=mail(body="Y 10 mesas."),
                               content_type="message/rfc822")
    assert again.status_code == 201 and again.get_json() == {"ok": True, "lead": lead_id, "created": False}
    broken = client.client.post(f"/crm/inbound-email/{team.capture_key}", data=b"garbage",
                                content_type="message/rfc822")
    assert broken.status_code == 422 and "not an email message" in broken.get_json()["error"]
    session = web.db.system()
    received = session.scalars(select(ReceivedMail).order_by(ReceivedMail.id)).all()
    assert [(row.outcome, row.res_id) for row in received] == [("created", lead_id), ("threaded", lead_id),
                                                                 ("rejected", None)]
    emails = session.scalars(select(Message).where(Message.kind == "email_in", Message.res_id == lead_id)).all()
    assert len(emails) == 2 and session.scalars(select(Attachment.filename)).all() == ["plano.pdf"]


@pytest.mark.parametrize("body, field", [
    (["ana@example.es"], "body"),
    ("ana@example.es", "body"),
    ({"email": ["ana@example.es"]}, "email"),
    ({"email": {"address": "ana@example.es"}}, "email"),
    ({"email": "ana@example.es", "message": "hola\u0000"}, "message"),
])
def test_the_public_form_refuses_json_that_is_not_an_object_of_texts(web, web_team, body, field):
    client = web.client()
    response = client.client.post(f"/crm/capture/{web_team.capture_key}", json=body)
    assert response.status_code == 400 and response.get_json()["field"] == field
    assert web.db.system().scalars(select(Lead)).all() == []


def test_a_campaign_id_past_the_database_is_ignored_like_an_unknown_one(db, team):
    lead = capture.from_web_form(db.system(), team, {"email": "a@example.es", "campaign": str(2**64)})
    assert lead.campaign_id is None
