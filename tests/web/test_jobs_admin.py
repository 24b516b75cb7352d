"""Settings → Jobs and Settings → Outbox: failed jobs and mails are visible to administrators, and retried."""
import re

import pytest
from huey import SqliteHuey
from sqlalchemy import select

from core.jobs import DONE, FAILED, QUEUED, JobQueue, JobRecord, use_queue
from core.mail import Mail
from core.testing import ADMIN_PASSWORD


@pytest.fixture
def queue(tmp_path):
    queue = JobQueue(SqliteHuey("admin_test", filename=str(tmp_path / "queue.db"), results=False))
    with use_queue(queue):
        yield queue


@pytest.fixture
def records(web):
    """A failed mail with its failed job, a job that is done, and a mail that was sent."""
    with web.db.factory() as session:
        failed_job = JobRecord(name="core.send_mail", arguments={}, state=FAILED, attempts=6,
                               last_error="MailNotSent: recipients refused by 127.0.0.1:25: x@example.es (550 No)",
                               error_detail="Traceback (most recent call last):\n  File \"core/mail\"")
        done_job = JobRecord(name="core.clean_jobs", arguments={"days": 30}, state=DONE, attempts=1)
        session.add_all([failed_job, done_job])
        session.flush()
        failed_mail = Mail(to="x@example.es", subject="Quarterly report", text="...", state=FAILED, attempts=6,
                           reason="recipients refused by 127.0.0.1:25: x@example.es (550 No)", job_id=failed_job.id,
                           reference="crm.campaign_recipient:3")
        sent_mail = Mail(to="ana@example.es", subject="Welcome aboard", text="...", state="sent", attempts=1)
        session.add_all([failed_mail, sent_mail])
        session.flush()
        failed_job.arguments = {"mail_id": failed_mail.id}
        session.commit()
        return {"failed_job": failed_job.id, "done_job": done_job.id, "failed_mail": failed_mail.id,
                "sent_mail": sent_mail.id}


def admin(web):
    client = web.client()
    client.login("admin", ADMIN_PASSWORD)
    return client


def state_of(web, model, record_id):
    with web.db.factory() as session:
        return session.get(model, record_id).state


def test_failed_jobs_are_listed_for_administrators_with_their_error(web, records):
    client = admin(web)
    page = client.get("/settings/jobs").get_data(as_text=True)
    assert re.search(r'href="/settings/jobs"[^>]*aria-current="page">Jobs</a>', page)  # in the Settings menu
    assert re.search(r'href="/settings/outbox"[^>]*>Outbox</a>', page)
    assert "core.send_mail" in page and "core.clean_jobs" in page
    assert "MailNotSent: recipients refused by 127.0.0.1:25" in page and "Traceback (most recent call last)" in page
    assert f'/settings/jobs/{records["failed_job"]}/retry' in page
    assert f'/settings/jobs/{records["done_job"]}/retry' not in page
    failed_only = client.get("/settings/jobs?state=failed").get_data(as_text=True)
    assert "core.send_mail" in failed_only and "core.clean_jobs" not in failed_only
    assert "failed (1)" in failed_only and "done (1)" in failed_only


def test_an_administrator_retries_a_failed_job_and_it_is_sent_to_the_queue(web, records, queue):
    client = admin(web)
    client.get("/settings/jobs")
    response = client.post(f"/settings/jobs/{records['failed_job']}/retry?state=failed")
    assert response.status_code == 302 and response.headers["Location"].endswith("/settings/jobs?state=failed")
    assert f"Job {records['failed_job']} is queued again." in client.get("/settings/jobs").get_data(as_text=True)
    assert state_of(web, JobRecord, records["failed_job"]) == QUEUED
    assert queue.huey.pending_count() == 1

    again = client.post(f"/settings/jobs/{records['done_job']}/retry", follow_redirects=True)
    assert "Only a failed job can be retried." in again.get_data(as_text=True)
    assert state_of(web, JobRecord, records["done_job"]) == DONE
    assert queue.huey.pending_count() == 1
    assert client.post("/settings/jobs/999999/retry", follow_redirects=True).status_code == 200
    assert queue.huey.pending_count() == 1


def test_the_outbox_lists_mails_with_their_reason_and_sends_a_failed_one_again(web, records, queue):
    client = admin(web)
    page = client.get("/settings/outbox").get_data(as_text=True)
    assert "Quarterly report" in page and "Welcome aboard" in page
    assert "x@example.es (550 No)" in page and "crm.campaign_recipient:3" in page
    assert f'/settings/outbox/{records["failed_mail"]}/requeue' in page
    assert f'/settings/outbox/{records["sent_mail"]}/requeue' not in page
    assert "Welcome aboard" not in client.get("/settings/outbox?state=failed").get_data(as_text=True)

    response = client.post(f"/settings/outbox/{records['failed_mail']}/requeue", follow_redirects=True)
    assert f"Mail {records['failed_mail']} is queued again." in response.get_data(as_text=True)
    assert state_of(web, Mail, records["failed_mail"]) == QUEUED
    assert state_of(web, JobRecord, records["failed_job"]) == QUEUED  # its own job is retried, not a new one
    with web.db.factory() as session:
        assert session.scalars(select(JobRecord.name)).all().count("core.send_mail") == 1
    assert queue.huey.pending_count() == 1

    sent = client.post(f"/settings/outbox/{records['sent_mail']}/requeue", follow_redirects=True)
    assert "Only a failed mail can be sent again." in sent.get_data(as_text=True)
    assert queue.huey.pending_count() == 1


def test_only_administrators_see_or_retry_jobs_and_mails(web, records, queue):
    web.db.user("clerk", groups=["contacts.group_manager"])
    clerk = web.client()
    clerk.login("clerk")
    assert "Settings" not in clerk.get("/").get_data(as_text=True)
    assert clerk.get("/settings/jobs").status_code == 403
    assert clerk.get("/settings/outbox").status_code == 403
    assert clerk.post(f"/settings/jobs/{records['failed_job']}/retry").status_code == 403
    assert clerk.post(f"/settings/outbox/{records['failed_mail']}/requeue").status_code == 403
    assert state_of(web, JobRecord, records["failed_job"]) == FAILED
    assert state_of(web, Mail, records["failed_mail"]) == FAILED
    assert queue.huey.pending_count() == 0


def test_retrying_needs_the_csrf_token(web, records, queue):
    client = admin(web)
    assert client.post(f"/settings/jobs/{records['failed_job']}/retry", csrf=False).status_code == 400
    assert state_of(web, JobRecord, records["failed_job"]) == FAILED and queue.huey.pending_count() == 0
