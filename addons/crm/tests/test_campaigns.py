"""Campaigns: segments, mass mail through the queue with per-recipient status, unsubscribing honoured."""
import pytest
from sqlalchemy import select

from addons.contacts.services import create_partner
from addons.crm import automation, campaigns
from addons.crm.models import Campaign, Lead, Recipient, Unsubscribe
from core.db import utcnow
from core.errors import ValidationError

from .conftest import wait_for


@pytest.mark.parametrize("target, conditions, message", [
    ("partner", {"colour": "red"}, "Unknown conditions: colour"),
    ("partner", {"country_code": ["Spain"]}, "two-letter codes"),
    ("lead", {"state": "happy"}, "Unknown state happy"),
    ("shop", {}, "Of: shop is not one of the choices"),
])
def test_bad_segments_are_refused(db_copy, target, conditions, message):
    with pytest.raises(ValidationError, match=message):
        campaigns.save_segment(db_copy.system(), db_copy.main_company.id, name="S", target=target,
                               conditions=conditions)


@pytest.mark.parametrize("installation", [("gone@example.it",)], indirect=True)
def test_a_campaign_reaches_the_segment_records_each_outcome_and_honours_unsubscribes(installation):
    with installation.session() as session:
        for name, email, country in (("Rossi", "rossi@example.it", "IT"), ("Gone", "gone@example.it", "IT"),
                                     ("Quiet", "quiet@example.it", "IT"), ("Pérez", "perez@example.es", "ES"),
                                     ("Twin", "ROSSI@example.it", "IT")):
            create_partner(session, 1, name=name, email=email, country_code=country)
        session.add(Unsubscribe(company_id=1, email="quiet@example.it", at=utcnow()))
        segment = campaigns.save_segment(session, 1, name="Italy", target="partner",
                                         conditions={"country_code": "it"})
        campaign = Campaign(company_id=1, name="Autumn", segment_id=segment.id, subject="Novità d'autunno",
                            body="Scopri le novità.")
        session.add(campaign)
        session.flush()
        assert campaigns.start(session, campaign) == 2
        session.commit()
        campaign_id = campaign.id
    installation.start_worker()
    wait_for(lambda: len(installation.inbox.messages) == 1)
    with installation.session() as session:
        def bounced():
            session.rollback()  # end the read transaction: its snapshot would never show the worker's commit
            return campaigns.recipient_statuses(session, campaign_id).get("bounced") == 1

        wait_for(bounced)
        assert campaigns.recipient_statuses(session, campaign_id) == {"sent": 1, "bounced": 1, "skipped": 1}
        assert session.get(Campaign, campaign_id).state == "sent"
    [message] = installation.inbox.messages
    assert message["To"] == "rossi@example.it"
    link = [line for line in message.get_content().splitlines() if "/crm/unsubscribe/" in line][0]
    token = link.rsplit("/", 1)[1]
    assert link.split(": ", 1)[1].startswith("https://crm.example/crm/unsubscribe/")

    with installation.session() as session:
        assert campaigns.unsubscribe(session, token) == "rossi@example.it"
        session.commit()
        assert automation.is_unsubscribed(session, 1, "rossi@example.it")
        automation.save_rule(session, 1, name="Thanks", action="acknowledge",
                             parameters={"subject": "Grazie", "body": "Ciao"})
        lead = Lead(company_id=1, name="Again", email="rossi@example.it", source="web")
        session.add(lead)
        session.flush()
        assert automation.run_new_lead_rules(session, lead) == []
        assert campaigns.unsubscribe(session, "no-such-token") is None


def test_a_campaign_without_reachable_recipients_is_refused_and_sends_nothing(db_copy):
    session = db_copy.system()
    segment = campaigns.save_segment(session, db_copy.main_company.id, name="Nobody", target="lead",
                                     conditions={"category": "complaint"})
    campaign = Campaign(company_id=db_copy.main_company.id, name="Empty", segment_id=segment.id, subject="Hi",
                        body="Hello")
    session.add(campaign)
    session.flush()
    with pytest.raises(ValidationError, match="Nobody in this segment"):
        campaigns.start(session, campaign)
    session.rollback()
    assert db_copy.system().scalars(select(Recipient)).all() == []
