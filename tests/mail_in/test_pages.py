"""Settings → Mail aliases and Received mail: administrators manage aliases (the target among what addons offer)
and read what became of each message; anybody else gets 403."""
from __future__ import annotations

from sqlalchemy import select

from core.mail_in.models import REJECTED, MailAlias, ReceivedMail
from core.stored_text import N_, Sentence
from core.testing import ADMIN_PASSWORD


def test_an_administrator_adds_an_alias_and_reads_the_received_mail(web):
    with web.db.factory() as session:
        session.add(ReceivedMail(message_id="<x1@customer.es>", sender="ana@customer.es",
                                 recipients="nobody@example.com", subject="<b>Chairs</b>", outcome=REJECTED,
                                 reasons=[{"msgid": "No mail alias takes mail for %(address)s.",
                                           "params": {"address": "nobody@example.com"}}]))
        session.commit()
    admin = web.client()
    admin.login("admin", ADMIN_PASSWORD)
    form = admin.get("/settings/mail-aliases/new").get_data(as_text=True)
    assert '<option value="crm.lead">Lead</option>' in form
    refused = admin.post("/settings/mail-aliases/new", {"local_part": "sales@x", "domain": "example.com",
                                                        "target": "crm.lead", "active": "y"})
    assert "Write the part before the @" in refused.get_data(as_text=True)
    unknown = admin.post("/settings/mail-aliases/new", {"local_part": "sales", "domain": "example.com",
                                                        "target": "no.such", "active": "y"})
    assert unknown.status_code == 422 and "Not a valid choice" in unknown.get_data(as_text=True)
    created = admin.post("/settings/mail-aliases/new", {"local_part": "Sales", "domain": "@Example.COM",
                                                        "target": "crm.lead", "active": "y"})
    assert created.status_code == 302, created.get_data(as_text=True)
    with web.db.factory() as session:
        alias = session.scalars(select(MailAlias)).one()
        assert (alias.address, alias.target, alias.active, alias.company_id) == ("sales@example.com", "crm.lead",
                                                                                 True, web.db.main_company.id)
    listing = admin.get("/settings/mail-aliases/").get_data(as_text=True)
    assert "sales" in listing and "example.com" in listing and "Lead" in listing
    received = admin.get("/settings/received-mail/").get_data(as_text=True)
    assert "ana@customer.es" in received and "No mail alias takes mail for nobody@example.com." in received
    assert "&lt;b&gt;Chairs&lt;/b&gt;" in received and "<b>Chairs</b>" not in received
    assert admin.get("/settings/received-mail/new").status_code in (403, 404)


def test_received_mail_reasons_read_in_the_administrators_language(web):
    """A reason is kept as a sentence and its values: an Italian administrator reads it in Italian."""
    with web.db.factory() as session:
        session.add(ReceivedMail(message_id="<x2@customer.es>", sender="ana@customer.es", outcome=REJECTED,
                                 reasons=[Sentence(N_("No mail alias takes mail for %(address)s."),
                                                   address="nobody@example.com").stored(), "an older reason"]))
        session.commit()
    web.db.user("paola", groups=["core.group_admin"], lang="it")
    paola = web.client()
    paola.login("paola")
    received = paola.get("/settings/received-mail/").get_data(as_text=True)
    assert "Nessun alias di posta riceve posta per nobody@example.com.; an older reason" in received


def test_other_users_get_403(web):
    web.db.user("clerk", groups=["crm.group_manager", "contacts.group_manager"])
    clerk = web.client()
    clerk.login("clerk")
    for url in ("/settings/mail-aliases/", "/settings/mail-aliases/new", "/settings/received-mail/"):
        assert clerk.get(url).status_code == 403, url
    assert clerk.post("/settings/mail-aliases/new", {"local_part": "sales", "domain": "example.com",
                                                     "target": "crm.lead"}).status_code == 403
    assert "Mail aliases" not in clerk.get("/").get_data(as_text=True)


def test_a_reply_shows_on_the_records_timeline_as_a_received_email(web, tmp_path):
    from addons.contacts.models import Partner
    from core.chatter.models import Message
    from core.chatter.storage import AttachmentStore
    from core.mail_in.receive import deliver
    from core.security import actor_session

    from .messages import message, raw

    with web.db.factory() as session:
        partner = Partner(name="Ana", company_id=web.db.main_company.id, email="ana@customer.es")
        session.add(partner)
        session.flush()
        session.add(Message(kind="email", subject="Offer", body="Our offer", message_id="<offer@bottega.example>",
                            res_model="contacts_partner", res_id=partner.id, company_id=partner.company_id))
        session.commit()
    reply = message(to="bottega@example.com", subject="Re: Offer", text="Yes <script>alert(1)</script>please",
                    references=("<offer@bottega.example>",))
    deliver(lambda: actor_session(web.db.factory, web.db.registry, None), AttachmentStore(tmp_path, 1024), raw(reply))
    web.db.user("clerk", groups=["contacts.group_user"])
    clerk = web.client()
    clerk.login("clerk")
    page = clerk.get(f"/contacts/partners/{partner.id}").get_data(as_text=True)
    assert "Email received" in page and '<span class="who">ana@customer.es</span>' in page and "Re: Offer" in page
    assert "Yes &lt;script&gt;alert(1)&lt;/script&gt;please" in page and "<script>alert(1)" not in page
