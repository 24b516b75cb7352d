"""Processes that write to one database at the same time, for the concurrency tests.

Run as ``python -m tests.writer_processes COMMAND ...``. Each command prints
``ready`` once it is set up and waits for a line on stdin before it starts,
so the test starts every process at the same moment without sleeping; it
then prints one JSON object per line: what it wrote, or the error it got.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
import traceback
from decimal import Decimal

import click


def _emit(**what) -> None:
    print(json.dumps(what, default=str), flush=True)


def _wait_for_start() -> None:
    print("ready", flush=True)
    sys.stdin.readline()


def _system(url: str):
    """A system session factory over ``url`` with the installed addons' registry."""
    from core.catalog import Catalog
    from core.db import make_engine
    from core.lifecycle import Lifecycle
    from core.security import actor_session
    from core.sessions import make_session_factory

    engine = make_engine(url)
    registry = Lifecycle(engine, Catalog.discover()).registry()
    factory = make_session_factory(engine)
    return lambda: actor_session(factory, registry, None)


@click.group()
def cli() -> None:
    """Concurrent writers for the tests."""


def _invoice(session, partner_id: int, index: int):
    from addons.accounting.services.invoices import LineInput, create_invoice, post_invoice

    invoice = create_invoice(session, partner_id=partner_id, date=dt.date.today(), lines=[
        LineInput(f"Service {index}", quantity=Decimal(1), unit_price=Decimal(index + 10))])
    return post_invoice(session, invoice)


@cli.command("post-invoices")
@click.argument("url")
@click.argument("partner_id", type=int)
@click.argument("count", type=int)
def post_invoices(url: str, partner_id: int, count: int) -> None:
    """Create and post COUNT customer invoices for PARTNER_ID, one transaction each."""
    session_for = _system(url)
    _wait_for_start()
    for index in range(count):
        try:
            with session_for() as session:
                invoice = _invoice(session, partner_id, index)
                session.commit()
                _emit(number=invoice.number)
        except Exception as exc:  # reported to the test, which fails on it
            _emit(error=f"{type(exc).__name__}: {exc}", detail=traceback.format_exc())


@cli.command("post-and-hold")
@click.argument("url")
@click.argument("partner_id", type=int)
def post_and_hold(url: str, partner_id: int) -> None:
    """Post an invoice and stay inside the transaction, holding the journal's number, until killed."""
    session = _system(url)()
    invoice = _invoice(session, partner_id, 0)
    _emit(holding=invoice.number)
    sys.stdin.readline()  # the test kills this process here; a line on stdin would roll back


@cli.command("web-writes")
@click.argument("config_path")
@click.argument("capture_key")
@click.argument("count", type=int)
def web_writes(config_path: str, capture_key: str, count: int) -> None:
    """Through the web app (Flask's test client): COUNT partners by the admin's form, COUNT leads by the public form."""
    from core import jobs
    from core.config import load_config
    from core.testing import ADMIN_PASSWORD, WebClient
    from core.web import create_wsgi_app

    config = load_config(config_path)
    jobs.configure(config)  # as `bottega run` / `bottega serve` do: jobs go to this configuration's queue
    client = WebClient(create_wsgi_app(config))
    assert client.login("admin", ADMIN_PASSWORD).status_code == 302
    _wait_for_start()
    for index in range(count):
        partner = client.post("/contacts/partners/new", {"name": f"Web partner {index:03d}",
                                                         "email": f"web{index}@example.es"})
        lead = client.client.post(f"/crm/capture/{capture_key}", json={
            "name": f"Visitor {index}", "email": f"visitor{index}@example.es", "subject": f"Quote {index}"})
        outcome = {"partner": partner.status_code, "lead": lead.status_code}
        if (partner.status_code, lead.status_code) != (302, 201):
            outcome["error"] = f"{partner.get_data(as_text=True)[:2000]}\n{lead.get_data(as_text=True)[:2000]}"
        _emit(**outcome)


if __name__ == "__main__":
    cli()
