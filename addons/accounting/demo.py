"""Demo books for ``bottega demo``: customer invoices posted and partly paid, one overdue past its credit
limit, a supplier bill, and a bank statement with lines to match. Everything goes through the services."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from addons.contacts.models import Partner

from .models import FiscalYear, Journal, PaymentTerm, PaymentTermLine, Tax
from .models.ledger import BANK, PURCHASE as PURCHASE_JOURNAL
from .models.taxes import PURCHASE, SALE
from .services.bank_import import ParsedLine, ParsedStatement, store_statement
from .services.books import company_settings, has_books, partner_accounts, setup_books
from .services.invoices import create_invoice, post_invoice
from .services.payments import register_payment
from .services.years import create_fiscal_year

CUSTOMER_INVOICES = (
    # partner, days ago, lines (description, quantity, unit price), paid
    ("Ferretería Ibérica S.L.", 40, (("Estanterías metálicas", "4", "185.00"), ("Montaje", "6", "35.00")), "all"),
    ("Rossi Arredamenti S.r.l.", 20, (("Tavoli da lavoro", "2", "640.00"),), "part"),
    ("Panadería del Sol", 75, (("Horno de convección", "1", "2350.00"), ("Instalación", "1", "180.00")), None),
    ("Ferretería Ibérica S.L.", 3, (("Herramientas de taller", "10", "42.50"),), None),
)
BILL = ("Talleres Levante S.A.", 15, (("Reparación de maquinaria", "1", "820.00"), ("Piezas", "12", "14.75")))


def _partner(session, company, name) -> Partner:
    return session.scalars(select(Partner).where(Partner.company_id == company.id, Partner.name == name)).first()


def _first(session, model, *where):
    return session.scalars(select(model).where(*where).order_by(model.id)).first()


def _term_of_days(session, company, days):
    return _first(session, PaymentTerm, PaymentTerm.company_id == company.id, PaymentTerm.lines.any(
        (PaymentTermLine.days == days) & PaymentTermLine.end_of_month.is_(False)))


def load(session, company) -> None:
    if not has_books(session, company.id):
        setup_books(session, company)
    today = dt.date.today()
    earliest = today - dt.timedelta(days=max(days for _n, days, _l, _p in CUSTOMER_INVOICES))
    if earliest.year < today.year and _first(session, FiscalYear, FiscalYear.company_id == company.id,
                                             FiscalYear.date_start <= earliest) is None:
        create_fiscal_year(session, company.id, year=earliest.year)
    sales_tax = _first(session, Tax, Tax.company_id == company.id, Tax.use == SALE, Tax.percent > 0)
    purchase_tax = _first(session, Tax, Tax.company_id == company.id, Tax.use == PURCHASE, Tax.percent > 0)
    settings = company_settings(session, company.id)  # products naming no taxes get these on their lines
    settings.sale_tax_id = settings.sale_tax_id or (sales_tax.id if sales_tax else None)
    settings.purchase_tax_id = settings.purchase_tax_id or (purchase_tax.id if purchase_tax else None)
    bank = _first(session, Journal, Journal.company_id == company.id, Journal.kind == BANK)
    term30 = _term_of_days(session, company, 30)
    invoices = []
    # oldest first: a sales journal numbers its entries in date order
    for name, days_ago, lines, paid in sorted(CUSTOMER_INVOICES, key=lambda row: -row[1]):
        partner = _partner(session, company, name)
        if partner is None:
            continue
        date = today - dt.timedelta(days=days_ago)
        invoice = create_invoice(session, partner_id=partner.id, date=date, company_id=company.id,
                                 payment_term_id=term30.id if term30 else None,
                                 lines=[{"description": text, "quantity": qty, "unit_price": price,
                                         "tax_ids": [sales_tax.id] if sales_tax else []} for text, qty, price in lines])
        post_invoice(session, invoice)
        invoices.append(invoice)
        if paid:
            amount = invoice.amount_total if paid == "all" else (invoice.amount_total / 2).quantize(Decimal("0.01"))
            register_payment(session, invoice, amount=amount, date=date + dt.timedelta(days=10), journal=bank,
                             reference=invoice.number)
    baker = _partner(session, company, "Panadería del Sol")
    if baker is not None:  # overdue and over its limit: the partner page warns
        partner_accounts(session, baker).credit_limit = Decimal("2000.00")
    supplier = _partner(session, company, BILL[0])
    if supplier is not None:
        bill = create_invoice(
            session, partner_id=supplier.id, kind="in_invoice", company_id=company.id, reference="F-2026-118",
            date=today - dt.timedelta(days=BILL[1]),
            journal_id=_first(session, Journal, Journal.company_id == company.id,
                              Journal.kind == PURCHASE_JOURNAL).id,
            lines=[{"description": text, "quantity": qty, "unit_price": price,
                    "tax_ids": [purchase_tax.id] if purchase_tax else []} for text, qty, price in BILL[2]])
        post_invoice(session, bill)
    _statement(session, company, bank, invoices, today)
    session.flush()


def _statement(session, company, bank, invoices, today) -> None:
    """A bank statement whose lines pay two open invoices, as a bank writes them, and a fee to book."""
    lines = [ParsedLine(date=today - dt.timedelta(days=1), amount=invoice.residual,
                        label=f"TRANSFERENCIA {invoice.number}", partner_name=invoice.partner.name.upper())
             for invoice in invoices if invoice.residual > 0][-2:]
    lines.append(ParsedLine(date=today - dt.timedelta(days=1), amount=Decimal("-9.80"),
                            label="COMISION MANTENIMIENTO"))
    store_statement(session, bank, ParsedStatement(name=None, lines=lines), name=f"{bank.code} {today:%Y-%m}")
