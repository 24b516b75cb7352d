"""`bottega mail receive` and `bottega mail lmtp` against a database of their own, as Postfix would use them:
exit statuses a mail server understands with one line of reason, and LMTP replies per recipient."""
from __future__ import annotations

import io
import os
import smtplib
import subprocess
import sys

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from addons.crm.models import Lead, Team
from core.catalog import Catalog
from core.chatter.models import Message
from core.cli import cli
from core.config import load_config
from core.mail_in.lmtp import lmtp_controller
from core.mail_in.models import CREATED, MailAlias, ReceivedMail
from core.mail_in.receiver import Receiver
from core.sessions import make_session_factory
from core.testing import free_port, initialized_database

from .messages import PDF, message, raw


class Installation:
    """A database with CRM, a sales team and the alias sales@example.com, and its configuration file."""

    def __init__(self, tmp_path, url):
        self.engine = initialized_database(url, Catalog.discover(), ["crm"])
        with make_session_factory(self.engine)() as session:
            session.add(Team(company_id=1, name="Sales"))
            session.add(MailAlias(company_id=1, local_part="sales", domain="example.com", target="crm.lead"))
            session.commit()
        self.path = tmp_path / "bottega.toml"
        self.path.write_text(f'[database]\nurl = "{url}"\n[addons]\nenabled = ["crm"]\n'
                             f'[jobs]\nsqlite_path = "{tmp_path / "jobs.db"}"\n'
                             f'[attachments]\nfolder = "{tmp_path / "attachments"}"\n'
                             f'[mail]\nincoming_max_mb = 1\n')

    def count(self, model) -> int:
        with make_session_factory(self.engine)() as session:
            return session.scalar(select(func.count()).select_from(model))

    def receive(self, data, *recipients):
        arguments = ["--config", str(self.path), "mail", "receive"]
        for recipient in recipients:
            arguments += ["--to", recipient]
        return CliRunner().invoke(cli, arguments, input=data)


@pytest.fixture
def installation(tmp_path, databases):
    found = Installation(tmp_path, databases.new())
    yield found
    found.engine.dispose()


class Endless(io.RawIOBase):
    """A message with a 200 MB attachment, made as it is read: counts how much was read."""

    def __init__(self, size=200 * 1024 * 1024):
        self.head = (b"From: ana@customer.es\r\nTo: sales@example.com\r\nSubject: big\r\n"
                     b"Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n")
        self.left, self.read_bytes = size, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        chunk = (self.head or b"QUFBQUFB" * 9 + b"\r\n")[:len(buffer)]
        self.head = b""
        chunk = chunk[:self.left]
        buffer[:len(chunk)] = chunk
        self.left -= len(chunk)
        self.read_bytes += len(chunk)
        return len(chunk)


def test_a_message_on_stdin_is_delivered_and_each_refusal_has_its_exit_status(installation):
    delivered = installation.receive(raw(message(attachments=[("quote.pdf", "application/pdf", PDF)])))
    assert delivered.exit_code == 0, delivered.output
    assert delivered.stderr.startswith("delivered: created crm_lead ")
    mail = raw(message(subject="Second"))
    again = [installation.receive(mail).stderr for _ in range(2)]
    assert again[0].startswith("delivered: added to crm_lead ")  # CRM adds it to the sender's open lead
    assert again[1].startswith("delivered: already received (crm_lead ")
    assert (installation.count(Lead), installation.count(ReceivedMail)) == (1, 2)

    before = {model: installation.count(model) for model in (Lead, Message, ReceivedMail)}
    unknown = installation.receive(raw(message(to="nobody@example.com")))
    assert (unknown.exit_code, unknown.stderr) == (67, "refused: No mail alias takes mail for nobody@example.com.\n")
    envelope = installation.receive(raw(message()), "nobody@example.com")  # the envelope wins over the headers
    assert envelope.exit_code == 67
    assert {model: installation.count(model) for model in (Lead, Message, ReceivedMail)} == before

    unreadable = installation.receive(b"\x00\x01\x02 not a message")
    assert unreadable.exit_code == 65 and unreadable.stderr.startswith("refused: ")
    assert "Traceback" not in unreadable.output


def test_a_200_mb_message_is_refused_without_being_read_whole(installation):
    stream = Endless()
    refused = installation.receive(stream)
    assert (refused.exit_code, refused.stderr) == (
        65, "refused: The message is larger than 1 MB, the most this server receives.\n")
    assert stream.read_bytes <= 1024 * 1024 + 1 + io.DEFAULT_BUFFER_SIZE
    assert installation.count(ReceivedMail) == 0 and installation.count(Lead) == 0


def test_an_unreachable_database_asks_the_mail_server_to_try_again(tmp_path):
    path = tmp_path / "bottega.toml"
    path.write_text(f'[database]\nurl = "postgresql+psycopg://nobody@127.0.0.1:{free_port()}/bottega"\n'
                    f'[jobs]\nsqlite_path = "{tmp_path / "jobs.db"}"\n')
    result = CliRunner().invoke(cli, ["--config", str(path), "mail", "receive"], input=raw(message()))
    assert result.exit_code == 75
    assert result.stderr.startswith("refused: the database is unavailable: ") and "Traceback" not in result.output


def test_the_real_command_in_a_pipe(installation):
    environment = {**os.environ, "BOTTEGA_CONFIG": str(installation.path)}
    done = subprocess.run([sys.executable, "-m", "core.cli", "mail", "receive"], input=raw(message()),
                          capture_output=True, env=environment, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr.decode().startswith("delivered: created crm_lead")
    unknown = subprocess.run([sys.executable, "-m", "core.cli", "mail", "receive", "--to", "x@nowhere.example"],
                             input=raw(message()), capture_output=True, env=environment, timeout=120)
    assert unknown.returncode == 67 and unknown.stderr.decode().count("\n") == 1


def test_the_lmtp_listener_answers_each_recipient(installation):
    receiver = Receiver(load_config(installation.path, environ={}), Catalog.discover())
    port = free_port()
    controller = lmtp_controller(receiver, "127.0.0.1", port)
    controller.start()
    try:
        with smtplib.LMTP("127.0.0.1", port) as client:
            client.ehlo()
            client.mail("ana@customer.es")
            for recipient in ("sales@example.com", "nobody@example.com"):
                assert client.rcpt(recipient)[0] == 250
            code, text = client.data(raw(message(attachments=[("quote.pdf", "application/pdf", PDF)])))
            assert (code, text.decode().split(" created ")[0]) == (250, "2.0.0")
            code, text = client.getreply()
            assert (code, text.decode()) == (550, "5.1.1 No mail alias takes mail for nobody@example.com.")
            client.rset()
            client.mail("ana@customer.es")
            client.rcpt("sales@example.com")
            code, text = client.data(b"Subject: no sender\r\n\r\nbody\r\n")
            assert (code, text.decode()) == (554, "5.6.0 The message has no readable sender address (From).")
            client.rset()
            client.mail("ana@customer.es")
            client.rcpt("sales@example.com")
            too_big = client.data(b"From: ana@customer.es\r\n\r\n" + b"x" * 76 + (b"\r\n" + b"x" * 76) * 14000)
            assert too_big == (552, b"Error: Too much mail data")
    finally:
        controller.stop()
        receiver.close()
    with make_session_factory(installation.engine)() as session:
        assert [row.outcome for row in session.scalars(select(ReceivedMail).order_by(ReceivedMail.id))][0] == CREATED
        assert session.scalar(select(func.count(Lead.id))) == 1
