"""Several OS processes writing to one database at once: nobody fails, nothing is lost, numbers stay gapless."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from addons.accounting.models import Invoice
from addons.accounting.tests.conftest import make_books
from core.sessions import make_session_factory
from core.testing import TestData, initialized_database

ROOT = Path(__file__).resolve().parent.parent
PROCESSES = 3
POSTS = 20


class Writers:
    """Writer processes (``tests.writer_processes``) started together once all of them are ready."""

    def __init__(self):
        self.processes: list[subprocess.Popen] = []

    def start(self, *arguments: str) -> subprocess.Popen:
        process = subprocess.Popen([sys.executable, "-m", "tests.writer_processes", *arguments], cwd=ROOT,
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.processes.append(process)
        return process

    def go(self) -> None:
        for process in self.processes:
            ready = process.stdout.readline()
            assert ready.strip() == "ready", f"a writer did not start: {ready!r} {process.stderr.read()}"
        for process in self.processes:
            process.stdin.write("go\n")
            process.stdin.flush()

    def results(self, timeout: float = 300) -> list[dict]:
        found = []
        for process in self.processes:
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
    from core.lifecycle import Lifecycle
    from core.db import make_engine

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
