"""The chatter on record pages, through the web: posting, scheduling, attaching, and what is refused."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import func, select

from addons.contacts.models import Partner
from core.chatter.models import Activity, Attachment, Message
from core.models import User

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


@pytest.fixture
def partners(web):
    other = web.db.company("Other Co")
    with web.db.factory() as system:
        ours = Partner(name="Ours", company_id=web.db.main_company.id, email="ours@example.es")
        theirs = Partner(name="Theirs", company_id=other.id)
        system.add_all([ours, theirs])
        system.commit()
    return ours, theirs


def count(web, model) -> int:
    with web.db.factory() as system:
        return system.scalar(select(func.count(model.id)))


def test_a_note_and_an_activity_appear_on_the_records_timeline(web, clerk, partners):
    ours, _theirs = partners
    page = f"/contacts/partners/{ours.id}"
    assert "Chatter" in clerk.get(page).get_data(as_text=True)
    response = clerk.post(f"/chatter/contacts_partner/{ours.id}/message",
                          {"body": "Called <script>alert('x')</script><b>twice</b>", "next": page})
    assert response.status_code == 302 and response.headers["Location"].endswith(page)
    clerk.post(f"/chatter/contacts_partner/{ours.id}/activity",
               {"kind": "call", "summary": "Call back", "due_date": "2020-01-01", "user_id": "", "next": page})
    clerk_id = web.db.factory().scalar(select(Message.author_id))
    clerk.post(f"/chatter/contacts_partner/{ours.id}/activity",
               {"kind": "call", "summary": "Call back", "due_date": "2020-01-01", "user_id": str(clerk_id),
                "next": page})
    html = clerk.get(page).get_data(as_text=True)
    assert "<b>twice</b>" in html and "alert(" not in html
    assert "Call back" in html and "Late" in html
    assert count(web, Activity) == 1
    button = html[html.index('class="smart-button"'):]
    assert button.startswith(f'class="smart-button" href="{page}#planned-activities"><strong>1</strong> '
                             '<span>Activities</span>')
    assert 'id="planned-activities"' in html
    logged = clerk.post(f"/chatter/contacts_partner/{ours.id}/message",
                        {"kind": "call", "body": "Asked for the price list", "next": page}, follow_redirects=True)
    assert "Call logged." in logged.get_data(as_text=True)
    call = web.db.factory().scalars(select(Message).where(Message.kind == "call")).one()
    assert call.body == "Asked for the price list"
    refused = clerk.post(f"/chatter/contacts_partner/{ours.id}/message",
                         {"kind": "tracking", "body": "Stage changed", "next": page}, follow_redirects=True)
    assert "Unknown kind of message." in refused.get_data(as_text=True)
    assert count(web, Message) == 2  # the first note and the call


def test_another_companys_chatter_is_not_found(web, clerk, partners):
    _ours, theirs = partners
    assert clerk.post(f"/chatter/contacts_partner/{theirs.id}/message", {"body": "hi"}).status_code == 404
    assert clerk.get(f"/chatter/contacts_partner/{theirs.id}/email").status_code == 404
    assert clerk.post(f"/chatter/core_security_event/1/message", {"body": "hi"}).status_code == 404
    assert count(web, Message) == 0


def test_attachments_refused_for_type_and_size_and_served_to_readers_only(web, clerk, partners):
    ours, _theirs = partners
    page = f"/contacts/partners/{ours.id}"
    url = f"/chatter/contacts_partner/{ours.id}/attachment"
    clerk.post(url, {"file": (io.BytesIO(WINDOWS_PROGRAM), "invoice.pdf"), "next": page},
               content_type="multipart/form-data")
    assert "invoice.pdf holds application/x-msdownload content" in clerk.get(page).get_data(as_text=True)
    clerk.post(url, {"file": (io.BytesIO(PDF + b"0" * (1024 * 1024)), "big.pdf"), "next": page},
               content_type="multipart/form-data")
    assert "big.pdf is larger than 1 MB" in clerk.get(page).get_data(as_text=True)
    assert count(web, Attachment) == 0

    # 200 MB announced: refused from its Content-Length before the body is read, nothing stored
    huge = clerk.client.post(url, input_stream=io.BytesIO(b""), content_type="multipart/form-data; boundary=x",
                             environ_overrides={"CONTENT_LENGTH": str(200 * 1024 * 1024)})
    assert huge.status_code == 413 and "nothing was saved" in huge.get_data(as_text=True)
    assert count(web, Attachment) == 0

    clerk.post(url, {"file": (io.BytesIO(PDF), "offer.pdf"), "next": page}, content_type="multipart/form-data")
    with web.db.factory() as system:
        attachment = system.scalars(select(Attachment)).one()
    download = clerk.get(f"/chatter/attachment/{attachment.id}")
    assert download.status_code == 200 and download.data == PDF and download.mimetype == "application/pdf"
    assert "offer.pdf" in clerk.get(page).get_data(as_text=True)

    stranger = web.client()
    web.db.user("stranger", groups=["contacts.group_user"], companies=[web.db.company("Third")])
    stranger.login("stranger")
    assert stranger.get(f"/chatter/attachment/{attachment.id}").status_code == 404


def test_my_activities_lists_the_users_open_ones_with_their_records_and_marks_one_done(web, clerk, partners):
    ours, theirs = partners
    page = f"/contacts/partners/{ours.id}"
    with web.db.factory() as system:
        clerk_id = system.scalar(select(User.id).where(User.login == "clerk"))
        today = dt.date.today()
        for summary, record, due in (("Send the offer", ours, today + dt.timedelta(2)),
                                     ("Call back", ours, today - dt.timedelta(1)),
                                     ("Their secret", theirs, today - dt.timedelta(5))):
            system.add(Activity(kind="call", summary=summary, res_model="contacts_partner", res_id=record.id,
                                company_id=ours.company_id, user_id=clerk_id, due_date=due))
        system.commit()
    home = clerk.get("/").get_data(as_text=True)
    assert 'href="/chatter/activities"' in home  # in the user menu
    html = clerk.get("/chatter/activities").get_data(as_text=True)
    assert "Their secret" not in html and "Theirs" not in html
    assert html.index("Call back") < html.index("Send the offer") and "Late" in html
    assert f'href="{page}"' in html
    late = web.db.factory().scalar(select(Activity.id).where(Activity.summary == "Call back"))
    done = clerk.post(f"/chatter/activity/{late}/done", {"next": "/chatter/activities"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/chatter/activities")
    html = clerk.get("/chatter/activities").get_data(as_text=True)
    assert "Call back" not in html and "Send the offer" in html
    assert web.db.factory().scalar(select(Activity.state).where(Activity.id == late)) == "done"
