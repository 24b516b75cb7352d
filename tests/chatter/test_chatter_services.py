"""The chatter's services on a database with every addon: access through the record, sanitising, activities,
attachments on disk with their type read from the bytes."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from addons.contacts.models import Partner
from core.chatter import services
from core.chatter.composer import check_template, draft
from core.chatter.models import Activity, Attachment, MailTemplate, Message
from core.chatter.storage import AttachmentStore
from core.errors import AccessDenied, RecordNotFound, ValidationError
from core.hookspecs import hookimpl
from core.testing import image_bytes

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


@pytest.fixture
def store(tmp_path):
    return AttachmentStore(tmp_path / "attachments", 1024 * 1024)


@pytest.fixture
def setup(db):
    other = db.company("Other Co")
    clerk = db.user("clerk", groups=["contacts.group_user"])
    outsider = db.user("outsider", groups=["contacts.group_user"], companies=[other])
    with db.factory() as system:
        ours = Partner(name="Ours", company_id=db.main_company.id, email="ours@example.es")
        theirs = Partner(name="Theirs", company_id=other.id)
        system.add_all([ours, theirs])
        system.commit()
    return db, clerk, outsider, ours, theirs


def test_a_note_is_sanitised_and_shown_on_the_records_chatter(setup):
    db, clerk, _outsider, ours, _theirs = setup
    session = db.as_user(clerk)
    ref = services.record_of(session, "contacts_partner", ours.id)
    message = services.post_message(session, ref, '<b>Called</b> <script>alert(1)</script>'
                                    '<img src=x onerror="alert(2)"><a href="javascript:alert(3)">x</a>\nback')
    session.commit()
    assert "<script" not in message.body and "onerror" not in message.body and "javascript:" not in message.body
    assert message.body.startswith("<b>Called</b>") and message.body.endswith("<br>back")
    assert [m.id for m in services.read_chatter(session, ref).messages] == [message.id]
    with pytest.raises(ValidationError, match="Nothing is left"):
        services.post_message(session, ref, "<script>alert(1)</script>")


def test_a_message_once_posted_is_neither_changed_nor_deleted_by_its_author(setup):
    """The timeline is a history in itself (so messages are not audited): nobody may rewrite or remove a line."""
    db, clerk, _outsider, ours, _theirs = setup
    session = db.as_user(clerk)
    message = services.post_message(session, services.record_of(session, "contacts_partner", ours.id), "Called")
    session.commit()
    message.body = "Never called"
    with pytest.raises(AccessDenied):
        session.flush()
    session.rollback()
    session.delete(session.get(Message, message.id))
    with pytest.raises(AccessDenied):
        session.flush()
    session.rollback()
    assert db.system().scalars(select(Message.body).where(Message.id == message.id)).one() == "Called"


def test_another_companys_record_chatter_is_neither_read_nor_written(setup):
    db, clerk, outsider, ours, theirs = setup
    theirs_session = db.as_user(outsider)
    services.post_message(theirs_session, services.record_of(theirs_session, "contacts_partner", theirs.id), "secret")
    theirs_session.commit()
    session = db.as_user(clerk)
    with pytest.raises(RecordNotFound):
        services.record_of(session, "contacts_partner", theirs.id)
    with pytest.raises(RecordNotFound):
        services.record_of(session, "no_such_table", 1)
    assert session.scalar(select(func.count(Message.id)).where(Message.res_id == theirs.id)) == 0
    # a row made up to point at the other company's record is refused by the company rule on flush
    session.add(Message(kind="note", body="x", res_model="contacts_partner", res_id=theirs.id,
                        company_id=theirs.company_id))
    with pytest.raises(AccessDenied):
        session.flush()


def test_activities_go_to_users_of_the_records_company_and_have_a_due_state(setup):
    db, clerk, outsider, ours, _theirs = setup
    session = db.as_user(clerk)
    ref = services.record_of(session, "contacts_partner", ours.id)
    today = dt.date(2026, 12, 3)
    with pytest.raises(ValidationError, match="active user of the record's company") as refused:
        services.schedule_activity(session, ref, kind="call", summary="Call", due_date=today, user_id=outsider.id)
    assert refused.value.field == "user_id"
    with pytest.raises(ValidationError, match="Say what is to be done"):
        services.schedule_activity(session, ref, kind="call", summary=" ", due_date=today, user_id=clerk.id)
    late = services.schedule_activity(session, ref, kind="call", summary="Call back", due_date=today - dt.timedelta(1),
                                      user_id=clerk.id)
    now = services.schedule_activity(session, ref, kind="task", summary="Send offer", due_date=today, user_id=clerk.id)
    later = services.schedule_activity(session, ref, kind="meeting", summary="Visit", due_date=today + dt.timedelta(3),
                                       user_id=clerk.id)
    assert [services.due_state(a, today) for a in (late, now, later)] == ["overdue", "today", "planned"]
    services.finish_activity(session, late.id, "Interested")
    services.cancel_activity(session, later.id)
    session.commit()
    chatter = services.read_chatter(session, ref)
    assert [a.summary for a in chatter.activities] == ["Send offer"]
    assert {(a.summary, a.state) for a in chatter.closed_activities} == {("Call back", "done"), ("Visit", "cancelled")}
    with pytest.raises(ValidationError, match="already closed"):
        services.finish_activity(session, late.id)


def test_attachments_are_checked_by_their_bytes_and_stored_on_disk(setup, store):
    db, clerk, _outsider, ours, theirs = setup
    session = db.as_user(clerk)
    ref = services.record_of(session, "contacts_partner", ours.id)
    with pytest.raises(ValidationError, match="invoice.pdf holds application/x-msdownload content"):
        services.attach(session, store, ref, "invoice.pdf", WINDOWS_PROGRAM)
    with pytest.raises(ValidationError, match="photo.pdf is named as application/pdf but holds image/png"):
        services.attach(session, store, ref, "photo.pdf", image_bytes())
    with pytest.raises(ValidationError, match="big.pdf is larger than 1 MB"):
        services.attach(session, store, ref, "big.pdf", PDF + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError, match="notes.txt"):
        services.attach(session, store, ref, "notes.txt", b"\x00\x01binary")
    assert not any(path.is_file() for path in store.folder.rglob("*")) if store.folder.exists() else True
    pdf = services.attach(session, store, ref, "../../offer.pdf", PDF)
    text = services.attach(session, store, ref, "notes.csv", "name;città\n".encode())
    session.commit()
    assert (pdf.filename, pdf.content_type, pdf.size) == ("offer.pdf", "application/pdf", len(PDF))
    assert text.content_type == "text/csv"
    assert store.path(pdf.storage_key).read_bytes() == PDF
    assert PDF not in repr([getattr(pdf, column) for column in Attachment.__table__.columns.keys()]).encode()
    assert services.attachment_for_reading(session, pdf.id).id == pdf.id

    other_company = db.as_user(db.user("other", groups=["contacts.group_user"],
                                       companies=[db.company("Third")]))
    with pytest.raises(RecordNotFound):
        services.attachment_for_reading(other_company, pdf.id)


def test_followers_and_mail_templates(setup):
    db, clerk, _outsider, ours, _theirs = setup
    session = db.as_user(clerk)
    ref = services.record_of(session, "contacts_partner", ours.id)
    services.follow(session, ref)
    services.follow(session, ref)
    session.commit()
    assert services.read_chatter(session, ref).following
    with db.factory() as system:
        good = MailTemplate(model="contacts_partner", name="Hello", subject="Hello {{ record.name }}",
                            body="Dear {{ record.name }},\n{{ user.name }} of {{ company.name }}")
        unknown = MailTemplate(model="contacts_partner", name="Typo", subject="Hi", body="{{ record.nmae }}")
        system.add_all([good, unknown])
        system.commit()
    composed = draft(session, ref, good.id)
    assert composed.subject == "Hello Ours" and "Clerk of" in composed.body
    assert composed.to.startswith("ours@example.es")
    with pytest.raises(ValidationError, match="The template's body cannot be filled in: .*nmae"):
        draft(session, ref, unknown.id)
    with pytest.raises(ValidationError, match="The template's subject has an error on line 1"):
        check_template("Hi {{ record.name ", "body")
    with pytest.raises(ValidationError, match="cannot be filled in"):
        from core.chatter.composer import render
        render(MailTemplate(subject="{{ record.__class__.__mro__ }}", body=""), {"record": ours})
    services.unfollow(session, ref)
    session.commit()
    assert not services.read_chatter(session, ref).following
    assert session.scalar(select(func.count(Activity.id))) == 0


def test_my_activities_are_the_users_open_ones_on_records_they_may_read_overdue_first(setup):
    db, clerk, outsider, ours, theirs = setup
    session = db.as_user(clerk)
    ref = services.record_of(session, "contacts_partner", ours.id)
    today = dt.date.today()
    services.schedule_activity(session, ref, kind="meeting", summary="Visit", due_date=today + dt.timedelta(3),
                               user_id=clerk.id)
    services.schedule_activity(session, ref, kind="call", summary="Call back", due_date=today - dt.timedelta(2),
                               user_id=clerk.id)
    done = services.schedule_activity(session, ref, kind="task", summary="Done already", due_date=today,
                                      user_id=clerk.id)
    services.finish_activity(session, done.id)
    services.schedule_activity(session, ref, kind="task", summary="The admin's", due_date=today, user_id=db.admin().id)
    session.commit()
    with db.factory() as system:  # rows of the clerk's company no service would write: records they may not read
        for summary, res_model, res_id in (("Another company's partner", "contacts_partner", theirs.id),
                                           ("A model they may not read", "core_security_event", 1),
                                           ("A model not installed", "no_such_table", 1)):
            system.add(Activity(kind="call", summary=summary, res_model=res_model, res_id=res_id,
                                company_id=ours.company_id, user_id=clerk.id, due_date=today - dt.timedelta(9)))
        system.commit()
    planned = services.my_activities(db.as_user(clerk))
    assert [(p.activity.summary, p.record.name) for p in planned] == [("Call back", "Ours"), ("Visit", "Ours")]
    theirs_session = db.as_user(outsider)
    services.schedule_activity(theirs_session, services.record_of(theirs_session, "contacts_partner", theirs.id),
                               kind="call", summary="Theirs", due_date=today, user_id=outsider.id)
    theirs_session.commit()
    assert [p.activity.summary for p in services.my_activities(db.as_user(outsider))] == ["Theirs"]
    assert [p.activity.summary for p in services.my_activities(db.as_user(clerk))] == ["Call back", "Visit"]


class Listener:
    """An addon listening to the chatter."""

    def __init__(self):
        self.heard = []

    @hookimpl
    def chatter_logged(self, message):
        self.heard.append(message)


def test_a_message_logged_by_an_addon_is_plain_text_and_announced(setup):
    db, clerk, _outsider, ours, _theirs = setup
    session = db.as_user(clerk)
    listener, pm = Listener(), session.info["registry"].pm
    pm.register(listener)
    try:
        ref = services.record_of(session, "contacts_partner", ours.id)
        message = services.log_message(session, ref, kind="call", subject="Order", text="2 <b>chairs</b>\nby Friday")
        assert message.body == "2 &lt;b&gt;chairs&lt;/b&gt;<br>by Friday" and listener.heard == [message]
        note = services.post_message(session, ref, "A note")
        assert listener.heard == [message, note]
    finally:
        pm.unregister(listener)
    for kind, text, field in (("gossip", "x", "kind"), ("call", " ", "body"), ("call", "x" * 100_001, "body")):
        with pytest.raises(ValidationError) as refused:
            services.log_message(session, ref, kind=kind, text=text)
        assert refused.value.field == field


def test_a_merged_partners_chatter_moves_to_the_partner_it_was_merged_into(setup):
    from addons.contacts.merge import merge_partners

    db, clerk, _outsider, ours, _theirs = setup
    session = db.as_user(clerk)
    twin = Partner(name="Ours (twin)", company_id=ours.company_id)
    session.add(twin)
    session.flush()
    source, target = (services.record_of(session, "contacts_partner", twin.id),
                      services.record_of(session, "contacts_partner", ours.id))
    services.post_message(session, source, "Met at the fair")
    services.schedule_activity(session, source, kind="call", summary="Call the twin", due_date=dt.date.today(),
                               user_id=clerk.id)
    services.follow(session, source)
    services.follow(session, target)
    result = merge_partners(session, session.get(Partner, twin.id), session.get(Partner, ours.id))
    session.commit()
    assert result.repointed["chatter"] == 2  # the follower of both stays once
    found = services.read_chatter(session, services.record_of(session, "contacts_partner", ours.id))
    assert [m.body for m in found.messages] == ["Met at the fair"]
    assert [a.summary for a in found.activities] == ["Call the twin"] and len(found.followers) == 1
    assert session.scalar(select(func.count(Message.id)).where(Message.res_id == twin.id)) == 0
