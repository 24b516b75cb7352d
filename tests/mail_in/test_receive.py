"""Receiving real messages: a lead from mail to the sales alias, replies threading by References (never into
another company's record), sanitised bodies, attachments kept or dropped by their bytes and size, duplicates,
unreadable messages and unknown addresses leaving nothing behind."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from addons.crm import automation
from addons.crm.models import Lead, Team
from core.chatter.composer import send_email
from core.chatter.models import EMAIL_IN, Attachment, Message
from core.chatter.services import record_of
from core.chatter.storage import AttachmentStore
from core.mail_in.models import CREATED, REJECTED, THREADED, MailAlias, ReceivedMail
from core.mail_in.parsing import UnreadableMail
from core.mail_in.receive import DUPLICATE, UnknownRecipient, deliver
from core.models import Mail
from core.stored_text import shown
from core.testing import web_config

from .messages import PDF, WINDOWS_PROGRAM, message, raw


def counts(db) -> dict:
    with db.system() as session:
        return {model.__name__: session.scalar(select(func.count()).select_from(model))
                for model in (Lead, Message, Attachment, ReceivedMail)}


def files(store) -> list:
    return sorted(path for path in store.folder.rglob("*") if path.is_file()) if store.folder.exists() else []


def test_mail_to_the_sales_alias_makes_a_lead_with_the_message_on_its_chatter(sales, store):
    mail = message(attachments=[("quote.pdf", "application/pdf", PDF)])
    delivery = deliver(sales.system, store, raw(mail))
    assert (delivery.outcome, delivery.res_model, delivery.dropped) == (CREATED, "crm_lead", ())
    with sales.system() as session:
        lead = session.get(Lead, delivery.res_id)
        assert (lead.email, lead.contact_name, lead.name, lead.source) == ("ana@customer.es", "Ana Ruiz",
                                                                           "Prices for 40 chairs", "email")
        posted = session.scalars(select(Message).where(Message.res_model == "crm_lead", Message.res_id == lead.id,
                                                       Message.kind == EMAIL_IN)).one()  # once, not also by CRM
        assert (posted.kind, posted.sender, posted.subject, posted.message_id) == (
            EMAIL_IN, "ana@customer.es", "Prices for 40 chairs", mail["Message-ID"])
        assert posted.body == "Hello,<br>what would 40 chairs cost?<br>Ana"
        kept = session.scalars(select(Attachment).where(Attachment.res_id == lead.id)).one()
        assert (kept.filename, kept.content_type, kept.company_id) == ("quote.pdf", "application/pdf", lead.company_id)
        assert store.path(kept.storage_key).read_bytes() == PDF
        row = session.scalars(select(ReceivedMail)).one()
        assert (row.message_id, row.sender, row.recipients, row.outcome, row.res_id, row.automatic) == (
            mail["Message-ID"], "ana@customer.es", "sales@example.com", CREATED, lead.id, False)
        assert row.sent_at is not None


def test_the_leads_rules_classify_it_and_acknowledge_it_as_an_auto_reply(sales, store):
    with sales.system() as session:
        company = sales.main_company.id
        automation.save_rule(session, company, name="Quotes", sequence=1, action="classify",
                             parameters={"keywords": {"quote_request": ["prices"]}})
        automation.save_rule(session, company, name="Thanks", sequence=2, action="acknowledge",
                             parameters={"subject": "Thank you", "body": "Dear {name}, we got it."})
        session.commit()
    person = deliver(sales.system, store, raw(message()))
    robot = deliver(sales.system, store, raw(message(sender="Out of office <ooo@other.es>",
                                                     headers={"Auto-Submitted": "auto-replied"})))
    bounce = deliver(sales.system, store, raw(message(sender="MAILER-DAEMON@mx.other.es", subject="Undelivered")))
    with sales.system() as session:
        automation.run_rules_for_new_leads(session, [person.res_id, robot.res_id, bounce.res_id])
        session.commit()
        assert session.get(Lead, person.res_id).category == "quote_request"
        mails = session.scalars(select(Mail)).all()
        assert [(m.to, m.subject, m.auto_submitted) for m in mails] == [("ana@customer.es", "Thank you",
                                                                        "auto-replied")]
        assert session.scalars(select(ReceivedMail.automatic).order_by(ReceivedMail.id)).all() == [False, True, True]


def test_html_and_script_in_a_body_are_cleaned_or_escaped(sales, store):
    html = deliver(sales.system, store, raw(message(
        text=None, html='<p>Hi <b>there</b><script>alert(1)</script><img src=x onerror="alert(2)">'
                        '<a href="javascript:alert(3)">link</a></p>')))
    text = deliver(sales.system, store, raw(message(sender="bob@customer.es", text="<script>alert(4)</script>")))
    both = deliver(sales.system, store, raw(message(sender="eve@customer.es", text="plain words",
                                                    html="<p>rich <script>alert(5)</script></p>")))
    with sales.system() as session:
        bodies = {delivery.res_id: session.scalars(select(Message.body).where(
            Message.kind == EMAIL_IN, Message.res_id == delivery.res_id)).one() for delivery in (html, text, both)}
    assert bodies[html.res_id].startswith("<p>Hi <b>there</b>")
    assert "<script" not in bodies[html.res_id] and "onerror" not in bodies[html.res_id] \
        and "javascript:" not in bodies[html.res_id]
    assert bodies[text.res_id] == "&lt;script&gt;alert(4)&lt;/script&gt;"
    assert bodies[both.res_id] == "plain words"


def test_a_reply_threads_into_the_invoice_it_answers(sales, store, tmp_path):
    from addons.accounting.services.invoices import create_invoice
    from addons.accounting.tests.conftest import make_books

    books = make_books(sales)
    with sales.system() as session:
        session.add(MailAlias(company_id=books.company.id, local_part="billing", domain="example.com",
                              target="crm.lead"))
        session.commit()
    partner = books.partner("Cliente", email="ana@customer.es")
    invoice = create_invoice(books.session, partner_id=partner.id, company_id=books.company.id)
    sent = send_email(books.session, web_config(tmp_path), record_of(books.session, "accounting_invoice",
                                                                     invoice.id),
                      to="ana@customer.es", subject="Invoice", body="Here it is.")
    books.session.commit()
    reply = message(to="billing@example.com", subject="Re: Invoice", text="Paid today.",
                    references=("<older@customer.es>", sent.message_id))
    delivery = deliver(sales.system, store, raw(reply))
    assert (delivery.outcome, delivery.res_model, delivery.res_id) == (THREADED, "accounting_invoice", invoice.id)
    answer = message(to="someone-else@example.com", subject="Re: Re: Invoice", text="And the receipt.",
                     references=(sent.message_id, reply["Message-ID"]))
    assert deliver(sales.system, store, raw(answer)).res_id == invoice.id  # threads by the message received too
    with sales.system() as session:
        assert session.scalars(select(Message.body).where(Message.res_model == "accounting_invoice",
                                                          Message.kind == EMAIL_IN).order_by(Message.id)).all() \
            == ["Paid today.", "And the receipt."]
        assert session.scalar(select(func.count(Lead.id))) == 0


def test_a_reference_to_another_companys_record_is_not_followed(sales, store, tmp_path):
    other = sales.company("Other Co")
    with sales.system() as session:
        theirs = Team(company_id=other.id, name="Their sales")
        session.add(theirs)
        session.flush()
        session.add(Message(kind="email", body="secret offer", message_id="<offer@other.example>",
                            res_model="crm_team", res_id=theirs.id, company_id=other.id))
        session.commit()
    forged = message(subject="Re: offer", text="Put this on their record",
                     references=("<offer@other.example>",), attachments=[("x.pdf", "application/pdf", PDF)])
    delivery = deliver(sales.system, store, raw(forged))
    assert (delivery.outcome, delivery.res_model) == (CREATED, "crm_lead")
    with sales.system() as session:
        assert session.scalars(select(Message.body).where(Message.res_model == "crm_team")).all() == ["secret offer"]
        assert session.get(Lead, delivery.res_id).company_id == sales.main_company.id
        assert session.scalars(select(Attachment.res_model)).all() == ["crm_lead"]


def test_a_20_mb_attachment_is_kept_and_a_program_renamed_pdf_is_dropped_with_the_message_stored(sales, store):
    big = b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024 - 9)
    delivery = deliver(sales.system, store, raw(message(attachments=[
        ("plans.pdf", "application/pdf", big), ("invoice.pdf", "application/pdf", WINDOWS_PROGRAM)])))
    assert delivery.outcome == CREATED
    assert len(delivery.dropped) == 1 and delivery.dropped[0].startswith("invoice.pdf holds application/x-msdownload")
    with sales.system() as session:
        assert session.scalars(select(Attachment.filename)).all() == ["plans.pdf"]
        body = session.scalars(select(Message.body).where(Message.kind == EMAIL_IN)).one()
        assert "Attachments not kept:" in body and "invoice.pdf holds application/x-msdownload" in body
        kept = session.scalars(select(ReceivedMail)).one()
        assert kept.reasons[0]["msgid"].startswith("%(name)s holds %(type)s content")
        assert shown(kept.reasons) == delivery.dropped[0]
    assert len(files(store)) == 1 and files(store)[0].stat().st_size == len(big)


def test_an_attachment_over_the_limit_is_dropped_and_the_message_still_stored(sales, tmp_path):
    small = AttachmentStore(tmp_path / "small", 10 * 1024 * 1024)
    big = b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024 - 9)
    delivery = deliver(sales.system, small, raw(message(attachments=[("plans.pdf", "application/pdf", big)])))
    assert delivery.outcome == CREATED
    assert delivery.dropped == ("plans.pdf is larger than 10 MB, the most an attachment may be.",)
    with sales.system() as session:
        assert session.scalar(select(func.count(Attachment.id))) == 0
        assert "plans.pdf is larger than 10 MB" in session.scalars(select(Message.body).where(
            Message.kind == EMAIL_IN)).one()
    assert files(small) == []


def test_the_same_message_delivered_twice_is_stored_once(sales, store):
    mail = raw(message(attachments=[("quote.pdf", "application/pdf", PDF)]))
    first = deliver(sales.system, store, mail)
    before = counts(sales)
    again = deliver(sales.system, store, mail)
    assert (again.outcome, again.res_model, again.res_id) == (DUPLICATE, "crm_lead", first.res_id)
    assert counts(sales) == before and len(files(store)) == 1


def test_mail_for_an_unknown_address_leaves_nothing(sales, store):
    before = counts(sales)
    with pytest.raises(UnknownRecipient, match="No mail alias takes mail for nobody@example.com"):
        deliver(sales.system, store, raw(message(to="nobody@example.com",
                                                 attachments=[("quote.pdf", "application/pdf", PDF)])))
    with sales.system() as session:
        session.scalars(select(MailAlias)).one().active = False
        session.commit()
    with pytest.raises(UnknownRecipient):
        deliver(sales.system, store, raw(message()))
    assert counts(sales) == before and files(store) == []


@pytest.mark.parametrize("data, reason", [
    (b"", "The message is empty"),
    (b"\x00\xff\xfe garbage without any header\n", "no readable sender|no headers"),
    (b"From: \x00\x01<<<@@>\r\nSubject: =?utf-8?q?broken\r\nTo: sales@example.com\r\n\r\nbody\r\n",
     "no readable sender address"),
    (b"Subject: no sender at all\r\nTo: sales@example.com\r\n\r\nbody\r\n", "no readable sender address"),
])
def test_unreadable_messages_are_refused_with_a_reason_and_logged(sales, store, data, reason):
    before = counts(sales)
    with pytest.raises(UnreadableMail, match=reason):
        deliver(sales.system, store, data)
    after = counts(sales)
    assert {k: v for k, v in after.items() if k != "ReceivedMail"} == {k: v for k, v in before.items()
                                                                       if k != "ReceivedMail"}
    with sales.system() as session:
        assert [(row.outcome, row.res_id) for row in session.scalars(select(ReceivedMail))] == [(REJECTED, None)]


def test_malformed_headers_that_can_be_skipped_do_not_stop_a_message(sales, store):
    data = (b"From: Ana <ana@customer.es>\r\nTo: sales@example.com\r\n"
            b"Subject: =?unknown-charset?B?////?=\r\nDate: not a date at all\r\n"
            b"Message-ID: <broken@customer.es\r\nReferences: <<<>>> <a b>\r\n"
            b"Content-Type: text/plain; charset=no-such-charset\r\n\r\nHola, \xe9\xe9\r\n")
    delivery = deliver(sales.system, store, data)
    assert delivery.outcome == CREATED
    with sales.system() as session:
        row = session.scalars(select(ReceivedMail)).one()
        assert row.sent_at is None and row.message_id.endswith("@received.invalid>")
        assert "Hola" in session.scalars(select(Message.body).where(Message.kind == EMAIL_IN)).one()


def test_a_message_the_lead_capture_refuses_is_rejected_with_its_reason_and_nothing_else(sales, store):
    with sales.system() as session:
        session.scalars(select(Team)).one().active = False
        session.commit()
    before = counts(sales)
    with pytest.raises(Exception, match="no active sales team"):
        deliver(sales.system, store, raw(message(attachments=[("quote.pdf", "application/pdf", PDF)])))
    assert files(store) == []
    with sales.system() as session:
        row = session.scalars(select(ReceivedMail)).one()
        assert (row.outcome, row.sender) == (REJECTED, "ana@customer.es")
        assert "sales@example.com does not take this message" in shown(row.reasons)
    assert {k: v for k, v in counts(sales).items() if k != "ReceivedMail"} == {
        k: v for k, v in before.items() if k != "ReceivedMail"}


def test_a_delivery_racing_another_one_of_the_same_message_writes_nothing_of_its_own(sales, store, monkeypatch):
    from core.mail_in import receive

    mail = raw(message(attachments=[("quote.pdf", "application/pdf", PDF)]))
    first = deliver(sales.system, store, mail)
    before, kept = counts(sales), files(store)
    real, calls = receive._received, []

    def not_yet_committed(session, message_id):  # the other process commits between our check and our insert
        calls.append(message_id)
        return None if len(calls) == 1 else real(session, message_id)

    monkeypatch.setattr(receive, "_received", not_yet_committed)
    again = deliver(sales.system, store, mail)
    assert (again.outcome, again.res_id, len(calls)) == (DUPLICATE, first.res_id, 2)
    assert counts(sales) == before and files(store) == kept
