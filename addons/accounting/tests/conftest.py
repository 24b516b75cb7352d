"""Fixtures for the accounting tests: a company with its books set up, and users in it.

``books`` is a Spanish company (PGC chart) in the test's rolled-back
database; ``books.italian()`` and ``books.generic()`` give an Italian and a
generic company on demand. ``make_books(data, name, country)`` does the same
over any ``TestData`` (e.g. ``db_copy`` for tests with real commits).
"""
from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from addons.accounting.models import Account, Journal, Settings, Tax
from addons.accounting.security import ACCOUNTANT, AUDITOR, BILLING
from addons.accounting.services.books import partner_accounts, setup_books
from addons.contacts.models import Partner
from addons.products.models import Product
from addons.products.services import create_product
from core import hookimpl
from core.models import Company

_names = itertools.count(1)
CHARTS = {"ES": "es", "IT": "it", None: "generic"}


class Books:
    """A company with books, seen through one system session (``books.session``)."""

    def __init__(self, data, company: Company):
        self.data = data
        self.company = company
        self.session = data.system()
        self._others: dict[str, Books] = {}

    # records of the company, by code or kind
    def account(self, code: str) -> Account:
        return self.session.scalars(select(Account).where(Account.company_id == self.company.id,
                                                          Account.code == code)).one()

    def journal(self, code_or_kind: str) -> Journal:
        """By code (``INV``, ``BILL``, ``BNK1``, ``CSH1``, ``MISC``) or kind (``sale``, ``general``...)."""
        return self.session.scalars(select(Journal).where(
            Journal.company_id == self.company.id,
            (Journal.code == code_or_kind) | (Journal.kind == code_or_kind)).order_by(Journal.id)).first()

    def tax(self, code: str) -> Tax:
        return self.session.scalars(select(Tax).where(Tax.company_id == self.company.id, Tax.code == code)).one()

    @property
    def settings(self) -> Settings:
        return self.session.scalars(select(Settings).where(Settings.company_id == self.company.id)).one()

    def partner(self, name: str = "Cliente", **values) -> Partner:
        """A committed partner of the company, with its receivable/payable row."""
        partner = Partner(company_id=self.company.id, name=name, **values)
        self.session.add(partner)
        self.session.flush()
        partner_accounts(self.session, partner)
        self.session.commit()
        return partner

    def product(self, code: str, name: str | None = None, list_price="0", **values) -> Product:
        """A committed product of the company."""
        product = create_product(self.session, self.company.id, code=code, name=name or code,
                                 list_price=Decimal(list_price), **values)
        self.session.commit()
        return product

    # users working in this company only
    def user(self, login: str | None = None, groups=()):
        return self.data.user(login or f"user{next(_names)}", groups=groups, companies=[self.company])

    def accountant(self, login: str | None = None):
        return self.user(login or f"accountant{next(_names)}", [ACCOUNTANT])

    def billing(self, login: str | None = None):
        return self.user(login or f"billing{next(_names)}", [BILLING])

    def auditor(self, login: str | None = None):
        return self.user(login or f"auditor{next(_names)}", [AUDITOR])

    def as_user(self, user):
        """A session acting for ``user`` in this company."""
        return self.data.as_user(user, [self.company.id])

    # other companies of the same database
    def italian(self) -> Books:
        return self._other("IT")

    def generic(self) -> Books:
        return self._other(None)

    def _other(self, country):
        if country not in self._others:
            self._others[country] = make_books(self.data, country=country)
        return self._others[country]


def make_books(data, name: str | None = None, country: str | None = "ES") -> Books:
    """A new company of ``country`` (ES, IT, or None for generic) with its books set up and committed."""
    session = data.system()
    company = Company(name=name or f"Books {country or 'generic'} {next(_names)}", country_code=country,
                      currency_code="EUR")
    session.add(company)
    session.flush()
    setup_books(session, company, chart=CHARTS[country])
    session.commit()
    return Books(data, company)


#: Each query lists the entries breaking one rule of the ledger, over the whole database.
LEDGER_CHECKS = {
    "posted entry not balanced": (
        "SELECT m.id FROM accounting_move m JOIN accounting_move_line l ON l.move_id = m.id "
        "WHERE m.state = 'posted' GROUP BY m.id HAVING ROUND(SUM(l.debit) - SUM(l.credit), 2) <> 0"),
    "posted entry without lines": (
        "SELECT m.id FROM accounting_move m WHERE m.state = 'posted' "
        "AND NOT EXISTS (SELECT 1 FROM accounting_move_line l WHERE l.move_id = m.id)"),
    "posted entry without number": (
        "SELECT id FROM accounting_move WHERE state = 'posted' AND (number IS NULL OR sequence_number IS NULL)"),
    "line posted flag differs from its entry": (
        "SELECT l.move_id FROM accounting_move_line l JOIN accounting_move m ON m.id = l.move_id "
        "WHERE l.posted <> (m.state = 'posted')"),
    "line date, journal or company differs from its entry": (
        "SELECT l.move_id FROM accounting_move_line l JOIN accounting_move m ON m.id = l.move_id "
        "WHERE l.date <> m.date OR l.journal_id <> m.journal_id OR l.company_id <> m.company_id"),
    "line with both or negative sides": (
        "SELECT move_id FROM accounting_move_line WHERE debit < 0 OR credit < 0 OR (debit <> 0 AND credit <> 0)"),
}


def ledger_problems(connection) -> dict[str, list[int]]:
    """The ledger rules broken anywhere in the database, with the entry ids: empty when the books are right."""
    found = {}
    for rule, query in LEDGER_CHECKS.items():
        ids = sorted(set(connection.execute(text(query)).scalars()))
        if ids:
            found[rule] = ids
    return found


@pytest.fixture
def told(db):
    """(hook, invoice number) of each ``invoice_posted`` ("posted") and ``invoice_paid`` ("paid") call, in order."""
    seen = []

    class Listener:
        @hookimpl
        def invoice_posted(self, session, invoice):
            seen.append(("posted", invoice.number))

        @hookimpl
        def invoice_paid(self, session, invoice):
            seen.append(("paid", invoice.number))

    db.registry.pm.register(Listener(), name="invoice-hooks-listener")
    yield seen
    db.registry.pm.unregister(name="invoice-hooks-listener")


@pytest.fixture
def books(db) -> Books:
    return make_books(db, "Taller Bottega S.L.", "ES")


@pytest.fixture
def shop(web) -> Books:
    """A Spanish company with books in the ``web`` app's database (real commits)."""
    return make_books(web.db, "Taller Web S.L.", "ES")


def client_for(web, user):
    """A browser logged in as ``user``."""
    client = web.client()
    client.login(user.login)
    return client
