"""Who may do what in accounting, always within the user's companies (the core's company rule).

- billing user: prepares customer invoices and supplier bills as drafts, and
  reads what they need for that (partners' terms, accounts, taxes, journals);
  they cannot post, pay, reconcile or see the ledger;
- accountant: posts, pays, reconciles, imports bank statements, closes
  years, sets lock dates and reads every report; keeps the configuration;
- auditor: reads everything accounting holds and every report, changes nothing.
"""
from sqlalchemy import true

from addons.contacts.models import Partner
from core import Group, ModelAccess, N_, RecordRule

from . import models as m
from .models.invoicing import DRAFT

BILLING = "accounting.group_billing"
ACCOUNTANT = "accounting.group_accountant"
AUDITOR = "accounting.group_auditor"

GROUPS = (
    Group(BILLING, N_("Accounting: billing user"), implies=("contacts.group_user", "products.group_user")),
    Group(AUDITOR, N_("Accounting: auditor (read-only)"), implies=("products.group_user",)),
    Group(ACCOUNTANT, N_("Accounting: accountant"), implies=(BILLING, AUDITOR), for_admin=True),
)

#: What a billing user needs to read (and, for drafts, write) to prepare invoices.
_BILLING_READS = (m.Account, m.Journal, m.Tax, m.PaymentTerm, m.PaymentTermLine, m.Currency, m.CurrencyRate,
                  m.Settings, m.PartnerAccounting, m.ProductAccounting, m.CategoryAccounting, m.FiscalYear, m.Period)
_BILLING_DRAFTS = (m.Invoice, m.InvoiceLine, m.InvoiceTax)


def _grant(model, group, letters):
    return ModelAccess(model, group, read="r" in letters, create="c" in letters, write="w" in letters,
                       delete="d" in letters)


ACCESS = (
    *(_grant(model, ACCOUNTANT, "rcwd") for model in m.ALL),
    *(_grant(model, AUDITOR, "r") for model in m.ALL),
    *(_grant(model, BILLING, "r") for model in _BILLING_READS),
    *(_grant(model, BILLING, "rcwd") for model in _BILLING_DRAFTS),
    _grant(m.PartnerAccounting, BILLING, "rc"),
    _grant(Partner, AUDITOR, "r"),
)


def _draft_invoice(actor):
    return m.Invoice.state == DRAFT


def _line_of_draft(model):
    return lambda actor: model.invoice.has(m.Invoice.state == DRAFT)


RULES = (
    RecordRule(m.Invoice, "draft invoices", _draft_invoice, groups=(BILLING,),
               operations=("create", "write", "delete")),
    RecordRule(m.InvoiceLine, "lines of draft invoices", _line_of_draft(m.InvoiceLine), groups=(BILLING,),
               operations=("create", "write", "delete")),
    RecordRule(m.InvoiceTax, "taxes of draft invoices", _line_of_draft(m.InvoiceTax), groups=(BILLING,),
               operations=("create", "write", "delete")),
    *(RecordRule(model, "all", lambda actor: true(), groups=(ACCOUNTANT,), operations=("create", "write", "delete"))
      for model in _BILLING_DRAFTS),
)
