"""Writer processes for tests that need a database busy with real, concurrent business work.

Each writer, in its own process with its own connections, creates a partner
and posts an invoice for it (customer invoices or supplier bills), one
transaction each, until it is told to stop; ``committed`` counts what it
committed. Invoice references are ``w<writer>-<n>``, n counting from 0.
"""
from __future__ import annotations

import datetime as dt
import multiprocessing
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import OperationalError

#: per writer: a bound, reached only if nobody says stop (400 was reached under load while a backup ran, and a
#: writer that stops early looks like one the backup blocked)
MAX_INVOICES = 5000
MAX_ATTEMPTS = 50  # per invoice, when SQLite says another writer holds the database


@dataclass
class Writers:
    """``count`` writer processes posting in company ``company_id`` of the database at ``url``."""

    url: str
    company_id: int
    count: int = 4
    context: multiprocessing.context.BaseContext = field(default_factory=lambda: multiprocessing.get_context("spawn"))

    def __post_init__(self):
        self.stop = self.context.Event()
        self.committed = [self.context.Value("i", 0) for _ in range(self.count)]
        self.processes = [
            self.context.Process(target=post_invoices, args=(self.url, self.company_id, index, counter, self.stop))
            for index, counter in enumerate(self.committed)
        ]

    def start(self) -> None:
        for process in self.processes:
            process.start()

    def counts(self) -> list[int]:
        return [counter.value for counter in self.committed]

    def describe(self) -> str:
        """Each writer's count and whether it still runs (or its exit code): what a failed wait needs."""
        return ", ".join(f"writer {n}: {counter.value} committed, "
                         + ("running" if process.is_alive() else f"exited with {process.exitcode}")
                         for n, (counter, process) in enumerate(zip(self.committed, self.processes)))

    def finish(self, timeout: float) -> list[int | None]:
        """Tell every writer to stop, wait for them, and return their exit codes."""
        self.stop.set()
        for process in self.processes:
            process.join(timeout)
            if process.is_alive():
                process.kill()
                process.join()
        return [process.exitcode for process in self.processes]


def post_invoices(url: str, company_id: int, index: int, committed, stop) -> None:
    from addons.accounting.models import Tax
    from addons.accounting.services.books import partner_accounts
    from addons.accounting.services.invoices import LineInput, create_invoice, post_invoice
    from addons.contacts.models import Partner
    from core.catalog import Catalog
    from core.db import make_engine
    from core.lifecycle import Lifecycle
    from core.security import actor_session
    from core.sessions import make_session_factory

    engine = make_engine(url)
    registry = Lifecycle(engine, Catalog.discover()).registry()
    factory = make_session_factory(engine)
    kind, tax_code = ("out_invoice", "S_IVA21") if index % 2 == 0 else ("in_invoice", "P_IVA21")
    with actor_session(factory, registry, None) as session:
        tax_id = session.scalars(select(Tax.id).where(Tax.company_id == company_id, Tax.code == tax_code)).one()
        session.rollback()
        for number in range(MAX_INVOICES):
            if stop.is_set():
                break
            for attempt in range(MAX_ATTEMPTS):
                try:
                    partner = Partner(company_id=company_id, name=f"Writer {index} partner {number}")
                    session.add(partner)
                    session.flush()
                    partner_accounts(session, partner)
                    invoice = create_invoice(session, partner_id=partner.id, kind=kind, date=dt.date.today(),
                                             reference=f"w{index}-{number}", lines=[
                                                 LineInput(f"Work {number}", quantity=Decimal(number % 7 + 1),
                                                           unit_price=Decimal("12.34"), tax_ids=[tax_id])])
                    post_invoice(session, invoice)
                    session.commit()
                    break
                except OperationalError:  # SQLite: another writer's transaction came first; do it again
                    session.rollback()
                    if attempt == MAX_ATTEMPTS - 1:
                        raise
            committed.value = number + 1
    engine.dispose()
