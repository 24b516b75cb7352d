"""A CRM installation with a real job worker and a real SMTP server on loopback, for end-to-end tests."""
import time
from decimal import Decimal
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from addons.crm.models import LostReason, Stage, Team
from addons.crm.security import MANAGER, SALESPERSON
from core.catalog import Catalog
from core.config import load_config
from core.jobs import JobQueue, use_queue
from core.jobs.worker import Worker
from core.lifecycle import Lifecycle
from core.security import actor_session
from core.sessions import make_session_factory
from core.testing import free_port, initialized_database


class Inbox:
    """An aiosmtpd handler keeping the messages it accepts and refusing some addresses with 550."""

    def __init__(self, refuse=()):
        self.messages = []
        self.refuse = set(refuse)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "waited too long"
        time.sleep(0.2)


class CrmInstallation:
    def __init__(self, tmp_path, url, inbox):
        self.inbox = inbox
        self.port = free_port()
        self.smtp = Controller(inbox, hostname="127.0.0.1", port=self.port)
        self.smtp.start()
        self.catalog = Catalog.discover()
        self.engine = initialized_database(url, self.catalog, ["crm"])
        path = tmp_path / "bottega.toml"
        path.write_text(f'[database]\nurl = "{url}"\n[jobs]\nsqlite_path = "{tmp_path / "jobs.db"}"\n'
                        f'[server]\npublic_url = "https://crm.example"\n'
                        f'[mail]\nsmtp_host = "127.0.0.1"\nsmtp_port = {self.port}\n'
                        f'from_address = "ventas@bottega.example"\nretries = 1\nretry_delay = 0\n')
        self.config = load_config(path, environ={})
        self.queue = JobQueue.from_config(self.config, name=f"crm_{self.port}")
        self.registry = Lifecycle(self.engine, self.catalog).registry()
        self.factory = make_session_factory(self.engine)
        self.worker = None

    def session(self):
        return actor_session(self.factory, self.registry, None)

    def start_worker(self):
        self.worker = Worker(self.config, self.catalog, self.engine, self.queue).start(1, False)

    def close(self):
        if self.worker is not None:
            self.worker.stop()
        self.smtp.stop()
        self.engine.dispose()


@pytest.fixture
def installation(tmp_path, databases, request):
    refuse = getattr(request, "param", ())
    crm = CrmInstallation(tmp_path, databases.new(), Inbox(refuse))
    try:
        with use_queue(crm.queue):
            yield crm
    finally:
        crm.close()


@pytest.fixture
def web_team(web):
    """A team whose capture form and inbound email address the web app serves."""
    session = web.db.system()
    team = Team(company_id=web.db.main_company.id, name="Web")
    session.add(team)
    session.commit()
    return team


@pytest.fixture
def pipeline(db_copy):
    """A team with two salespeople, and stages New -> Proposal -> Won."""
    db = db_copy
    session = db.system()
    company = db.main_company.id
    stages = [Stage(company_id=company, name=name, sequence=number, probability=Decimal(p), is_won=name == "Won")
              for number, (name, p) in enumerate((("New", "10"), ("Proposal", "60"), ("Won", "100")))]
    session.add_all(stages)
    session.add(LostReason(company_id=company, name="Too expensive"))
    session.commit()
    ana = db.user("ana", groups=[SALESPERSON])
    bea = db.user("bea", groups=[SALESPERSON])
    outsider = db.user("carl", groups=[SALESPERSON])
    boss = db.user("boss", groups=[MANAGER])
    session = db.system()
    team = Team(company_id=company, name="Iberia", members=[session.get(type(ana), ana.id),
                                                            session.get(type(bea), bea.id)])
    session.add(team)
    session.commit()
    return {"company": company, "team": team.id, "ana": ana, "bea": bea, "carl": outsider, "boss": boss,
            "stages": {s.name: s.id for s in stages}}
