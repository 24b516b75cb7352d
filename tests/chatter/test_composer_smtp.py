"""The email composer end to end: a template rendered for a record, the mail through the outbox to a real SMTP
server on loopback (aiosmtpd), logged on the record's timeline with the Message-ID it went out with."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.chatter import services
from core.chatter.composer import draft, send_email
from core.chatter.models import MailTemplate, Message
from core.errors import ValidationError
from core.models import Company, Mail
from tests.test_jobs import job_catalog, wait_for  # noqa: F401
from tests.test_mail import inbox, make_env, smtp  # noqa: F401


def test_an_email_from_a_template_is_sent_and_logged_on_the_timeline(make_env, smtp, inbox):
    env = make_env(smtp.port)
    data = env.data()
    clerk = data.user("clerk", groups=["core.group_user"])
    company_id = data.main_company.id
    with env.session() as system:
        template = MailTemplate(model="core_company", name="Hello", subject="News from {{ record.name }}",
                                body="Dear customer,\n{{ user.name }} of {{ company.name }} writes.")
        broken = MailTemplate(model="core_company", name="Broken", subject="Hi", body="{{ record.no_such_field }}")
        system.add_all([template, broken])
        system.commit()
    session = data.as_user(clerk)
    ref = services.record_of(session, "core_company", company_id)
    with pytest.raises(ValidationError, match="body cannot be filled in: .*no_such_field"):
        draft(session, ref, broken.id)
    composed = draft(session, ref, template.id)
    message = send_email(session, env.config, ref, to="ana@example.es", subject=composed.subject,
                         body=composed.body + "<script>x</script>")
    session.commit()
    env.start_worker(workers=1, periodic=False)
    wait_for(lambda: inbox.messages, what="the mail at the SMTP server")
    _sender, recipients, received = inbox.messages[0]
    assert recipients == ["ana@example.es"]
    assert received["Subject"] == "News from My Company"
    assert received["Message-ID"] == message.message_id
    assert "Clerk of My Company writes." in received.get_content()

    logged = services.read_chatter(session, ref).messages
    assert [(m.kind, m.subject, m.message_id) for m in logged] == [("email", "News from My Company",
                                                                    received["Message-ID"])]
    assert "<script>" not in logged[0].body and "&lt;script&gt;" in logged[0].body
    with env.session() as check:
        assert check.scalar(select(Mail.reference)) == f"core_company:{company_id}"


def test_a_bad_address_sends_nothing_and_logs_nothing(make_env, smtp):
    env = make_env(smtp.port)
    data = env.data()
    clerk = data.user("clerk", groups=["core.group_user"])
    session = data.as_user(clerk)
    ref = services.record_of(session, "core_company", data.main_company.id)
    with pytest.raises(ValidationError, match="not-an-address is not an email address"):
        send_email(session, env.config, ref, to="not-an-address", subject="Hi", body="Hello")
    session.rollback()
    with env.session() as check:
        assert check.scalar(select(func.count(Mail.id))) == 0
        assert check.scalar(select(func.count(Message.id))) == 0
        assert check.get(Company, data.main_company.id) is not None
