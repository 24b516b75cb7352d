"""Setting up a company's books from a chart template, and each partner's accounting row.

``setup_books`` runs once per company: the accounts, taxes, journals and
payment terms of the template, the settings with their default accounts,
the currencies (added when missing) and the current calendar year with its
monthly periods. ``set_up_missing_books`` runs it, with the chart of each
company's country, for every company that has no books yet: it is what
accounting's ``after_install`` hook does on each install and upgrade.
"""
from __future__ import annotations

import datetime as dt

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from addons.contacts.models import Partner
from core.errors import ValidationError
from core.fields import field_of
from core.models.company import Company
from core.transaction_cache import cached

from ..charts import BY_COUNTRY, CURRENCIES, ChartTemplate, templates
from ..models import Account, Currency, Journal, PartnerAccounting, PaymentTerm, PaymentTermLine, Settings, Tax


def chart_for(company: Company, chart: str | None = None) -> ChartTemplate:
    """The template named ``chart``, or the one of the company's country (generic elsewhere)."""
    key = chart or BY_COUNTRY.get((company.country_code or "").upper(), "generic")
    found = templates().get(key)
    if found is None:
        raise ValidationError(gettext("Unknown chart of accounts %(key)s; choose one of %(keys)s.",
                                      key=key, keys=", ".join(sorted(templates()))), "chart")
    return found


def has_books(session: Session, company_id: int) -> bool:
    return session.scalar(select(Settings.id).where(Settings.company_id == company_id)) is not None


def setup_books(session: Session, company: Company, *, chart: str | None = None) -> Settings:
    """Create ``company``'s chart, taxes, journals, payment terms, settings and current fiscal year."""
    from .years import create_fiscal_year, require_accountant  # years reads the settings through this module

    require_accountant(session, gettext("set up the books"))
    template = chart_for(company, chart)
    if has_books(session, company.id):
        raise ValidationError(gettext("%(company)s already has its books set up; they are set up only once.",
                                      company=company.name), "chart")
    ensure_currencies(session)
    accounts = {}
    for item in template.accounts:
        accounts[item.code] = Account(company_id=company.id, code=item.code, name=item.name, type=item.type,
                                      reconcile=item.reconcile)
    session.add_all(accounts.values())
    session.flush()
    session.add_all(Tax(company_id=company.id, code=item.code, name=item.name, use=item.use, percent=item.percent,
                        price_include=item.price_include, account_id=accounts[item.account].id,
                        reverse_charge_account_id=(accounts[item.reverse_charge_account].id
                                                   if item.reverse_charge_account else None),
                        sequence=item.sequence)
                    for item in template.taxes)
    session.add_all(Journal(company_id=company.id, code=item.code, name=item.name, kind=item.kind,
                            default_account_id=accounts[item.default_account].id if item.default_account else None)
                    for item in template.journals)
    for item in template.terms:
        term = PaymentTerm(company_id=company.id, name=item.name)
        term.lines = [PaymentTermLine(company_id=company.id, sequence=index, percent=percent, days=days,
                                      end_of_month=end_of_month)
                      for index, (percent, days, end_of_month) in enumerate(item.lines, start=1)]
        session.add(term)
    settings = Settings(company_id=company.id, chart=template.key,
                        **{f"{name}_account_id": accounts[code].id for name, code in template.defaults.items()})
    session.add(settings)
    session.flush()
    create_fiscal_year(session, company.id, year=dt.date.today().year)
    return settings


def set_up_missing_books(session: Session) -> list[Settings]:
    """Set up the books of every company that has none yet, with its country's chart (idempotent)."""
    companies = select(Company).where(Company.id.not_in(select(Settings.company_id))).order_by(Company.id)
    return [setup_books(session, company) for company in session.scalars(companies).all()]


def ensure_currencies(session: Session) -> None:
    """Add the usual currencies that are not there yet (never changes existing ones)."""
    known = set(session.scalars(select(Currency.code)))
    session.add_all(Currency(code=code, name=name, symbol=symbol, decimals=places)
                    for code, name, symbol, places in CURRENCIES if code not in known)
    session.flush()


def company_settings(session: Session, company_id: int) -> Settings:
    """The company's accounting settings (read once per transaction)."""
    settings = cached(session, ("accounting.settings", company_id),
                      lambda: session.scalar(select(Settings).where(Settings.company_id == company_id)),
                      depends_on=(Settings,))
    if settings is None:
        raise _no_books()
    return settings


def _no_books(field: str | None = None) -> ValidationError:
    return ValidationError(gettext("This company has no books yet: set them up under Accounting › "
                                   "Configuration first."), field)


def default_journal(session: Session, company_id: int, kind: str) -> Journal:
    """The company's first active journal of ``kind`` (sale, purchase, bank, cash, general)."""
    journal = cached(session, ("accounting.default_journal", company_id, kind), lambda: session.scalar(
        select(Journal).where(Journal.company_id == company_id, Journal.kind == kind, Journal.active.is_(True))
        .order_by(Journal.id).limit(1)), depends_on=(Journal,))
    if journal is None:
        raise ValidationError(gettext("There is no %(kind)s journal in this company.", kind=kind), "journal_id")
    return journal


def partner_accounts(session: Session, partner: Partner) -> PartnerAccounting:
    """The partner's accounting row, created with the company's default receivable and payable on first use."""
    row = session.get(PartnerAccounting, partner.id)
    if row is None:
        row = PartnerAccounting(partner_id=partner.id, company_id=partner.company_id)
        complete_partner_rows(session, [row])
        session.add(row)
        session.flush()
    return row


def complete_partner_rows(session: Session, rows: list[PartnerAccounting]) -> None:
    """Give partner rows about to be written the company's default receivable and payable account where none
    is chosen (run before every flush; the core has given them their partner's company already:
    :func:`core.fields.extensions.complete_side_companies`).

    Whatever writes the row (the partner form, an invoice's first use, an import) leaves these to this rule,
    so a user setting just a credit limit never has to pick accounts.
    """
    if not rows:
        return
    connection = session.connection()
    settings = {found.company_id: found for found in connection.execute(
        select(Settings.company_id, Settings.receivable_account_id, Settings.payable_account_id)
        .where(Settings.company_id.in_({row.company_id for row in rows})))}
    for row in rows:
        if row.company_id is None:
            continue  # no such partner: the foreign key refuses the row
        for name in ("receivable_account_id", "payable_account_id"):
            if getattr(row, name) is not None:
                continue
            if row.company_id not in settings:
                raise _no_books(name)
            default = getattr(settings[row.company_id], name)
            if default is None:
                raise ValidationError(gettext("%(field)s: choose one, the accounting settings name no default.",
                                              field=field_of(PartnerAccounting, name).label), name)
            setattr(row, name, default)
