"""Several OS processes writing to one database at once: nobody fails, nothing is lost, numbers stay gapless."""
from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, text

from addons.accounting.models import Invoice
from addons.accounting.tests.conftest import ledger_problems, make_books
from addons.crm.automation import save_rule
from addons.crm.models import Team
from core.config import load_config
from core.db import make_engine
from core.lifecycle import Lifecycle
from core.models import User
from core.security import actor_session
from core.sessions import make_session_factory
from core.testing import TEST_URL_ENV, TestData, initialized_database
from tests.test_jobs import wait_for
from tests.test_mail import inbox, smtp  # noqa: F401 (fixtures)

ROOT = Path(__file__).resolve().parent.parent
PROCESSES = 3
POSTS = 20


class Writers:
    """Writer processes (``tests.writer_processes``); those started ``together`` go once all are ready."""

    def __init__(self):
        self.processes: list[subprocess.Popen] = []
        self.together: list[subprocess.Popen] = []

    def start(self, *arguments: str, together: bool = True) -> subprocess.Popen:
        process = subprocess.Popen([sys.executable, "-m", "tests.writer_processes", *arguments], cwd=ROOT,
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.processes.append(process)
        if together:
            self.together.append(process)
        return process

    def go(self) -> None:
        for process in self.together:
            ready = process.stdout.readline()
            assert ready.strip() == "ready", f"a writer did not start: {ready!r} {process.stderr.read()}"
        for process in self.together:
            process.stdin.write("go\n")
            process.stdin.flush()

    def results(self, timeout: float = 300) -> list[dict]:
        found = []
        for process in self.together:
            out, err = process.communicate(timeout=timeout)
            assert process.returncode == 0, err
            found.extend(json.loads(line) for line in out.splitlines())
        return found

    def kill(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.communicate()


@pytest.fixture
def writers():
    started = Writers()
    yield started
    started.kill()


@pytest.fixture
def accounting_url(databases, catalog):
    url = databases.new()
    engine = initialized_database(url, catalog, ["accounting"])
    engine.dispose()
    return url


def test_processes_posting_invoices_at_once_all_succeed_with_gapless_numbers(accounting_url, catalog, writers):
    engine = make_engine(accounting_url)
    try:
        data = TestData(Lifecycle(engine, catalog).registry(), make_session_factory(engine))
        books = make_books(data, "Concurrencia S.L.")
        partner = books.partner("Cliente concurrente")
        data.close_all()
        for _ in range(PROCESSES):
            writers.start("post-invoices", accounting_url, str(partner.id), str(POSTS))
        writers.go()
        results = writers.results()
        errors = [result["error"] for result in results if "error" in result]
        assert errors == []
        year = dt.date.today().year
        expected = [f"INV/{year}/{n:05d}" for n in range(1, PROCESSES * POSTS + 1)]
        assert sorted(result["number"] for result in results) == expected
        with data.factory() as check:
            stored = check.scalars(select(Invoice.number).where(Invoice.partner_id == partner.id)).all()
        assert sorted(stored) == expected
    finally:
        engine.dispose()


WEB_WRITES = 25  # the public lead form takes 30 a minute from one address
IMPORTED_CONTACTS = 300
IMPORTED_LEADS = 60


def bottega(config_path, *arguments: str, log=None) -> subprocess.Popen:
    """A ``bottega`` command in a process of its own."""
    return subprocess.Popen([sys.executable, "-m", "core.cli", "--config", str(config_path), *arguments], cwd=ROOT,
                            stdout=log or subprocess.PIPE, stderr=subprocess.STDOUT if log else subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})


def crm_installation(tmp_path, url, catalog, smtp_port) -> tuple[Path, str]:
    """A CRM whose new leads are classified, assigned and acknowledged by mail; returns (config, form key)."""
    engine = initialized_database(url, catalog, ["crm"])
    try:
        with actor_session(make_session_factory(engine), Lifecycle(engine, catalog).registry(), None) as session:
            admin = session.scalars(select(User).where(User.login == "admin")).one()
            team = Team(company_id=admin.company_id, name="Web", members=[admin])
            session.add(team)
            session.flush()
            company = admin.company_id
            save_rule(session, company, name="Classify", sequence=1, action="classify",
                      parameters={"keywords": {"quote_request": ["quote"]}})
            save_rule(session, company, name="In turn", sequence=2, action="assign_round_robin", team_id=team.id)
            save_rule(session, company, name="Thanks", sequence=3, action="acknowledge",
                      parameters={"subject": "Thank you", "body": "Hello {name}, we will answer soon."})
            session.commit()
            key = team.capture_key
    finally:
        engine.dispose()
    config_path = tmp_path / "bottega.toml"
    config_path.write_text(
        f'[database]\nurl = "{url}"\n[addons]\nenabled = ["contacts", "crm"]\n'
        f'[server]\nsecret_key = "stress-test-secret-stress-test-secret"\n'
        f'[jobs]\nsqlite_path = "{tmp_path / "queue.db"}"\n'
        f'[mail]\nsmtp_host = "127.0.0.1"\nsmtp_port = {smtp_port}\nfrom_address = "ventas@bottega.test"\n'
        f'retries = 3\nretry_delay = 1\n')
    return config_path, key


def test_the_web_app_the_worker_and_imports_write_at_once_and_nothing_is_lost(tmp_path, databases, catalog, smtp,
                                                                               inbox, writers):
    config_path, key = crm_installation(tmp_path, databases.new(), catalog, smtp.port)
    contacts_file, leads_file = tmp_path / "contacts.csv", tmp_path / "leads.csv"
    contacts_file.write_text("Razón social;Correo\n" + "".join(
        f"Importado {n:03d};imported{n}@example.es\n" for n in range(IMPORTED_CONTACTS)))
    leads_file.write_text("Asunto;Nombre;Correo;País\n" + "".join(
        f"Quote {n};Cliente {n};lead{n}@example.es;ES\n" for n in range(IMPORTED_LEADS)))
    with open(tmp_path / "worker.log", "w") as log:
        worker = bottega(config_path, "worker", "--workers", "2", log=log)
    try:
        writers.start("web-writes", "--", str(config_path), key, str(WEB_WRITES))  # a key may begin with "-"
        writers.go()
        imports = [bottega(config_path, "import", "contacts", str(contacts_file), "--user", "admin", "--quiet"),
                   bottega(config_path, "import", "leads", str(leads_file), "--user", "admin", "--quiet")]
        web = writers.results()
        imported = [process.communicate(timeout=300) + (process.returncode,) for process in imports]

        assert [result["error"] for result in web if "error" in result] == []
        assert len(web) == WEB_WRITES
        assert [code for _out, _err, code in imported] == [0, 0], imported
        assert f"imported {IMPORTED_CONTACTS} record(s)" in imported[0][0]
        assert f"imported {IMPORTED_LEADS} record(s)" in imported[1][0]

        leads = WEB_WRITES + IMPORTED_LEADS
        engine = make_engine(load_config(config_path, environ={}).database_url)
        try:
            def count(sql):
                with engine.connect() as connection:
                    return connection.scalar(text(sql))

            wait_for(lambda: count("SELECT count(*) FROM core_mail WHERE state = 'sent'") == leads
                     and not count("SELECT count(*) FROM core_job WHERE state IN ('queued', 'running')")
                     or worker.poll() is not None, timeout=180, what="the worker to run every job")
            assert count("SELECT count(*) FROM contacts_partner WHERE name LIKE 'Web partner %'") == WEB_WRITES
            assert count("SELECT count(*) FROM contacts_partner WHERE name LIKE 'Importado %'") == IMPORTED_CONTACTS
            assert count("SELECT count(*) FROM crm_lead WHERE source = 'web'") == WEB_WRITES
            assert count("SELECT count(*) FROM crm_lead WHERE source = 'import'") == IMPORTED_LEADS
            assert count("SELECT count(*) FROM crm_lead WHERE category = 'quote_request'") == leads
            assert count("SELECT count(*) FROM crm_lead WHERE source = 'web' AND user_id IS NULL") == 0
            new_lead_jobs = WEB_WRITES + 1  # one a web lead, one for the imported file's leads together
            assert count("SELECT count(*) FROM core_job WHERE name = 'crm.new_lead' AND state = 'done'") \
                == new_lead_jobs
            assert count("SELECT count(*) FROM core_job WHERE state <> 'done' OR attempts <> 1") == 0  # no retry
            assert len(inbox.messages) == leads
        finally:
            engine.dispose()
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
    assert worker.returncode == 0, (tmp_path / "worker.log").read_text()


@pytest.mark.postgresql
@pytest.mark.skipif(not (os.environ.get(TEST_URL_ENV) or "").startswith("postgresql"),
                    reason="the row lock of a killed connection is PostgreSQL's (set BOTTEGA_TEST_DATABASE_URL)")
def test_a_process_killed_while_it_holds_the_journal_number_loses_no_number_and_leaves_no_half_entry(
        accounting_url, catalog, writers):
    """The number is a row lock on core_sequence (core.sequences): the killed connection's goes with it."""
    engine = make_engine(accounting_url)
    try:
        data = TestData(Lifecycle(engine, catalog).registry(), make_session_factory(engine))
        partner = make_books(data, "Interrumpida S.L.").partner("Cliente")
        data.close_all()
        holder = writers.start("post-and-hold", accounting_url, str(partner.id), together=False)
        year = dt.date.today().year
        assert json.loads(holder.stdout.readline()) == {"holding": f"INV/{year}/00001"}

        writers.start("post-invoices", accounting_url, str(partner.id), "2")
        writers.go()

        def blocked_on_a_lock():
            with engine.connect() as connection:
                return connection.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                                              "current_database() AND wait_event_type = 'Lock'"))
        wait_for(blocked_on_a_lock, what="the second poster to wait for the journal's number")
        holder.kill()
        holder.communicate()

        assert writers.results() == [  # the killed one's number is not lost: the next poster takes it
            {"number": f"INV/{year}/00001"}, {"number": f"INV/{year}/00002"}]
        with engine.connect() as connection:
            assert ledger_problems(connection) == {}
            rows = connection.execute(select(Invoice.number, Invoice.state).where(Invoice.partner_id == partner.id)
                                      .order_by(Invoice.number)).all()
            moves = connection.scalar(text("SELECT count(*) FROM accounting_move"))
        assert rows == [(f"INV/{year}/00001", "posted"), (f"INV/{year}/00002", "posted")]  # nothing half written
        assert moves == 2
    finally:
        engine.dispose()
