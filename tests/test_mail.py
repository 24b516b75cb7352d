"""Outgoing mail with real components: an aiosmtpd SMTP server on 127.0.0.1 and a real huey consumer."""
from __future__ import annotations

import asyncio
import email
import os
import signal
import subprocess
import sys
import threading
from contextlib import ExitStack
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from core.testing import free_port
from core.config import load_config
from core.errors import ValidationError
from core.jobs import DONE, FAILED, JobRecord, queue_for_config, use_queue
from core.mail import QUEUED, SENT, Attachment, Mail, queue_mail, requeue_mail
from tests.test_jobs import JobsEnvironment, backend, job_catalog, redis_server_url, wait_for  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
SENDER = "shop@bottega.test"


class Inbox:
    """An aiosmtpd handler keeping what it accepts; refuses the addresses in ``refuse`` with 550."""

    def __init__(self):
        self.messages: list[tuple[str, list[str], email.message.EmailMessage]] = []
        self.refuse: set[str] = set()
        self.slow_after: int | None = None  # from this many messages on, take 0.3 s before accepting
        self.received_enough = threading.Event()
        self.enough = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.slow_after is not None and len(self.messages) >= self.slow_after:
            await asyncio.sleep(0.3)  # the server is stopped meanwhile: this mail is not taken
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        if self.enough and len(self.messages) >= self.enough:
            self.received_enough.set()
        return "250 Message accepted for delivery"

    def ids(self) -> list[str]:
        return [message["Message-ID"] for _, _, message in self.messages]


class SMTPServer:
    """A real SMTP server on 127.0.0.1 that can be stopped and started again on the same port."""

    def __init__(self, inbox: Inbox, port: int):
        self.inbox, self.port, self.controller = inbox, port, None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def inbox():
    return Inbox()


@pytest.fixture
def smtp(inbox):
    server = SMTPServer(inbox, free_port()).start()
    yield server
    server.stop()


def mail_settings(port: int, retries: int = 3, retry_delay: int = 1) -> dict:
    return {"smtp_host": "127.0.0.1", "smtp_port": port, "from_address": SENDER, "timeout": 5,
            "retries": retries, "retry_delay": retry_delay}


@pytest.fixture
def make_env(tmp_path, databases, job_catalog):
    made = []
    stack = ExitStack()

    def make(port: int, backend: str = "sqlite", **settings):
        environment = JobsEnvironment(tmp_path, databases.new(), job_catalog, backend,
                                      redis_server_url() if backend == "redis" else None,
                                      mail=mail_settings(port, **settings))
        made.append(environment)
        stack.enter_context(use_queue(environment.queue))
        return environment

    with stack:
        yield make
    for environment in made:
        environment.close()


def mail(env, mail_id) -> Mail:
    with env.session() as session:
        return session.get(Mail, mail_id)


def counts(env) -> tuple[int, int]:
    with env.session() as session:
        return session.scalar(select(func.count(Mail.id))), session.scalar(select(func.count(JobRecord.id)))


# --- queueing ---------------------------------------------------------------------------------


@pytest.mark.parametrize("values, field, message", [
    ({"to": "not-an-email"}, "to", "not-an-email is not an email address."),
    ({"to": "ana@localhost"}, "to", "ana@localhost is not an email address."),
    ({"to": ["ok@example.es", "bad@"]}, "to", "bad@ is not an email address."),
    ({"to": "ok@example.es, two@@example.es"}, "to", "two@@example.es is not an email address."),
    ({"to": "ok@example.es\r\nBcc: spy@example.es"}, "to", "is not an email address."),
    ({"to": ""}, "to", "A mail needs at least one recipient."),
    ({"to": []}, "to", "A mail needs at least one recipient."),
    ({"to": [None]}, "to", "A recipient must be an email address."),
    ({"subject": "Hello\nBcc: spy@example.es"}, "subject", "The subject must be a single line."),
    ({"subject": "  "}, "subject", "A mail needs a subject."),
    ({"attachments": [Attachment("../po.pdf", "application/pdf", b"%PDF")]}, "attachments",
     "An attachment needs a file name (without folders)"),
    ({"attachments": [Attachment("po.pdf", "pdf", b"%PDF")]}, "attachments", "a type such as application/pdf"),
    ({"text": None}, "text", "A mail needs a text."),
    ({"reference": "x" * 256}, "reference", "At most 255 characters."),
])
def test_a_malformed_mail_is_refused_clearly_and_nothing_is_written(make_env, values, field, message):
    env = make_env(free_port())
    arguments = {"to": "ana@example.es", "subject": "Hello", "text": "Hi", **values}
    with env.session() as session:
        with pytest.raises(ValidationError) as refused:
            queue_mail(session, **arguments)
        session.commit()
    assert message in str(refused.value) and refused.value.field == field
    assert counts(env) == (0, 0)
    assert env.queue.huey.pending_count() == 0


def test_queueing_a_mail_records_it_and_its_job_in_the_callers_transaction(make_env):
    env = make_env(free_port())
    with env.session() as session:
        queued = queue_mail(session, to='"Rossi, Ana" <ana@example.it>, bob@example.es', subject=" Offer ",
                            text="Hi", reference="crm.campaign_recipient:7")
        assert env.queue.huey.pending_count() == 0
        session.rollback()
    assert counts(env) == (0, 0) and env.queue.huey.pending_count() == 0

    data = env.data()
    clerk = data.user("clerk", groups=["core.group_user"])  # no access to core_mail: the service writes it
    session = data.as_user(clerk)
    queued = queue_mail(session, to='"Rossi, Ana" <ana@example.it>, bob@example.es', subject=" Offer ",
                        text="Hi", reference="crm.campaign_recipient:7")
    session.commit()
    session.close()
    stored = mail(env, queued.id)
    assert (stored.to, stored.subject, stored.state, stored.reference) == (
        '"Rossi, Ana" <ana@example.it>, bob@example.es', "Offer", QUEUED, "crm.campaign_recipient:7")
    with env.session() as check:
        job = check.get(JobRecord, stored.job_id)
    assert (job.name, job.arguments, job.state) == ("core.send_mail", {"mail_id": queued.id}, "queued")
    assert env.queue.huey.pending_count() == 1


# --- sending ---------------------------------------------------------------------------------


def test_a_queued_mail_is_sent_through_the_smtp_server(make_env, smtp, inbox, backend):
    env = make_env(smtp.port, backend)
    with env.session() as session:
        queued = queue_mail(session, to=["Ana Pérez <ana@example.es>"], subject="Your quotation",
                            text="Dear Ana,\nhere it is.", html="<p>Dear Ana,</p><p>here it is.</p>",
                            reference="sales.order:12",
                            attachments=[Attachment("SO-12.pdf", "application/pdf", b"%PDF-1.7 quotation")])
        session.commit()
    env.start_worker()
    sent = wait_for(lambda: (m := mail(env, queued.id)).state == SENT and m, what="the mail to be sent")
    assert sent.attempts == 1 and sent.sent_at is not None and sent.reason is None
    assert len(inbox.messages) == 1
    sender, recipients, message = inbox.messages[0]
    assert (sender, recipients) == (SENDER, ["ana@example.es"])
    assert message["From"] == SENDER and message["To"] == "Ana Pérez <ana@example.es>"
    assert message["Subject"] == "Your quotation" and message["Message-ID"] == sent.message_id
    content = lambda kind: message.get_body((kind,)).get_content().replace("\r\n", "\n").strip()  # noqa: E731
    assert content("plain") == "Dear Ana,\nhere it is."
    assert content("html") == "<p>Dear Ana,</p><p>here it is.</p>"
    assert [(part.get_filename(), part.get_content_type(), part.get_content()) for part in message.iter_attachments()
            ] == [("SO-12.pdf", "application/pdf", b"%PDF-1.7 quotation")]
    wait_for(lambda: env.job(sent.job_id).state == DONE, what="the job to be done")


def test_a_refused_recipient_is_retried_then_failed_with_the_reason_and_can_be_sent_again(
        make_env, smtp, inbox, backend):
    env = make_env(smtp.port, backend, retries=1, retry_delay=1)
    inbox.refuse = {"nobody@example.es"}
    with env.session() as session:
        refused = queue_mail(session, to="nobody@example.es", subject="Hello", text="Hi").id
        partly = queue_mail(session, to="nobody@example.es, ana@example.es", subject="Both", text="Hi").id
        session.commit()
    env.start_worker()
    between = wait_for(lambda: (m := mail(env, refused)).attempts == 1 and m, what="the first refusal")
    assert between.state in (QUEUED, FAILED)
    failed = wait_for(lambda: (m := mail(env, refused)).state == FAILED and m, what="the last attempt")
    expected = f"recipients refused by 127.0.0.1:{smtp.port}: nobody@example.es (550 5.1.1 No such user here)"
    assert (failed.attempts, failed.reason) == (2, expected)
    job = wait_for(lambda: (j := env.job(failed.job_id)).state == FAILED and j, what="the job to fail")
    assert job.last_error == f"MailNotSent: {expected}"

    some = wait_for(lambda: (m := mail(env, partly)).state == SENT and m, what="the partly refused mail")
    assert some.reason == "some recipients were refused: nobody@example.es (550 5.1.1 No such user here)"
    assert [r for _, r, _ in inbox.messages] == [["ana@example.es"]]

    inbox.refuse.clear()  # the address was fixed on the server: an administrator sends it again
    with env.session() as session:
        with pytest.raises(ValidationError, match="Only a failed mail can be sent again"):
            requeue_mail(session, partly)
        requeue_mail(session, refused)
        session.commit()
    again = wait_for(lambda: (m := mail(env, refused)).state == SENT and m, what="the requeued mail")
    assert again.attempts == 3 and again.reason is None and again.job_id == failed.job_id
    # the job records that it is done just after the mail commits that it is sent
    wait_for(lambda: env.job(failed.job_id).state == DONE, what="the retried job to be done")
    assert inbox.messages[-1][1] == ["nobody@example.es"]


def test_a_server_that_stops_mid_batch_loses_nothing(make_env, smtp, inbox):
    env = make_env(smtp.port, retries=10, retry_delay=1)
    inbox.enough, inbox.slow_after = 3, 3
    with env.session() as session:
        ids = [queue_mail(session, to=f"customer{n}@example.es", subject=f"Newsletter {n}", text="News").id
               for n in range(6)]
        session.commit()
    env.start_worker(workers=1)
    assert inbox.received_enough.wait(30)
    smtp.stop()  # mid-batch: three mails are out, the fourth is being taken

    def failures():
        mails = [mail(env, i) for i in ids]
        return [m for m in mails if m.state == QUEUED and m.attempts >= 1 and m.reason]
    down = wait_for(lambda: len(failures()) >= 2 and failures(), what="failures to be recorded")
    assert all(m.reason.startswith((f"cannot reach the SMTP server 127.0.0.1:{smtp.port}: ",
                                    f"127.0.0.1:{smtp.port} closed the connection")) for m in down)
    assert not [i for i in ids if mail(env, i).state == FAILED]

    inbox.slow_after = None
    smtp.start()
    wait_for(lambda: all(mail(env, i).state == SENT for i in ids), what="every mail to be sent")
    stored = sorted(mail(env, i).message_id for i in ids)
    assert sorted(inbox.ids()) == stored  # each mail arrived, exactly once
    assert any(mail(env, i).attempts > 1 for i in ids)


def test_a_server_down_past_the_last_attempt_fails_the_mail_and_the_outbox_sends_it_later(make_env, inbox):
    port = free_port()
    env = make_env(port, retries=1, retry_delay=0)
    with env.session() as session:
        mail_id = queue_mail(session, to="ana@example.es", subject="Invoice", text="Attached").id
        session.commit()
    env.start_worker(workers=1)
    failed = wait_for(lambda: (m := mail(env, mail_id)).state == FAILED and m, what="the mail to fail")
    assert failed.attempts == 2
    assert failed.reason == f"cannot reach the SMTP server 127.0.0.1:{port}: Connection refused"
    server = SMTPServer(inbox, port).start()
    try:
        with env.session() as session:
            requeue_mail(session, mail_id)
            session.commit()
        wait_for(lambda: mail(env, mail_id).state == SENT, what="the mail to be sent")
        assert [m["Subject"] for _, _, m in inbox.messages] == ["Invoice"]
    finally:
        server.stop()


def test_bottega_worker_command_runs_the_queue_until_interrupted(initialized_url, tmp_path, smtp, inbox):
    config_path = tmp_path / "bottega.toml"
    settings = mail_settings(smtp.port)
    config_path.write_text(
        f'[database]\nurl = "{initialized_url}"\n[jobs]\nsqlite_path = "{tmp_path / "queue.db"}"\n[mail]\n'
        + "".join(f"{k} = {v!r}\n".replace("'", '"') for k, v in settings.items()))
    config = load_config(config_path, environ={})
    worker = subprocess.Popen([sys.executable, "-m", "core.cli", "--config", str(config_path), "worker",
                               "--workers", "2"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        from core.sessions import make_session_factory
        from core.db import make_engine

        engine = make_engine(initialized_url)
        try:
            with use_queue(queue_for_config(config)), make_session_factory(engine)() as session:
                queue_mail(session, to="ana@example.es", subject="From the worker", text="Hi")
                session.commit()
        finally:
            engine.dispose()
        wait_for(lambda: inbox.messages or worker.poll() is not None, what="the worker to send the mail")
        assert [m["Subject"] for _, _, m in inbox.messages] == ["From the worker"]
    finally:
        worker.send_signal(signal.SIGINT)
        out, err = worker.communicate(timeout=30)
    assert worker.returncode == 0, err
    assert "Bottega worker for" in out and "2 thread(s) on SqliteHuey" in out
    assert "Jobs: core.clean_jobs, core.refresh_statistics, core.run_task, core.security_housekeeping, core.send_mail" in out
    assert "Periodic: core.clean_jobs, core.refresh_statistics, core.security_housekeeping" in out


def test_bottega_worker_refuses_a_database_that_is_not_initialized(fresh_url, tmp_path):
    from click.testing import CliRunner

    from core.cli import cli

    config_path = tmp_path / "bottega.toml"
    config_path.write_text(f'[database]\nurl = "{fresh_url}"\n')
    result = CliRunner().invoke(cli, ["--config", str(config_path), "worker"])
    assert result.exit_code == 2
    assert "is not initialized: run `bottega init`" in result.output
