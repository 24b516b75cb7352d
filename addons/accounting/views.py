"""The accounting UI over the generic views: configuration, read-only ledger records, and invoices.

Ledger records (entries, items, payments, statements) are only ever written by
the services (posting, payments, imports), so their views are read-only. An
invoice is edited here only while it is a draft: the page hides Edit on a
posted one, and the service and the flush guards refuse the change anyway.
"""
from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from addons.contacts.models import Partner
from core.db import utcnow
from core.errors import AccessDenied
from core.web.context import can
from core.web.views import Filter, ModelView

from .models import (
    Account,
    BankStatement,
    Budget,
    BudgetLine,
    CurrencyRate,
    FiscalYear,
    Invoice,
    Journal,
    Move,
    MoveLine,
    Payment,
    PaymentTerm,
    Reconciliation,
    Settings,
    Tax,
)
from .models.invoicing import DRAFT, IN_INVOICE, IN_REFUND, OUT_INVOICE, OUT_REFUND, POSTED, SETTLED
from .models.payments import INBOUND, OUTBOUND
from .services import terms
from .web import invoice_form, term_form

class AccountingView(ModelView):
    """Shows related records by name and amounts as money; hides Edit and Delete where ``editable`` says no."""

    record_template = "accounting/record.html"
    list_template = "accounting/list.html"
    form_template = "accounting/form.html"
    read_only = False

    def editable(self, record) -> bool:
        return not self.read_only

    def deletable(self, record) -> bool:
        return self.editable(record)

    def conditions(self, params, actor):
        if not self.search_fields:
            params.q = ""
        return super().conditions(params, actor)


def _written_by_services() -> AccessDenied:
    return AccessDenied(gettext("These records are written by the accounting services only (posting, payments, "
                                "imports); they cannot be edited by hand."))


class ReadOnlyView(AccountingView):
    """Records that only the services write: a list and a record page, no form."""

    read_only = True
    importable = False

    def form_class(self, session, record=None):
        raise _written_by_services()

    def delete(self, session, actor, record) -> None:
        raise _written_by_services()


class MoveView(ReadOnlyView):
    record_template = "accounting/move_record.html"


class PaymentView(ReadOnlyView):
    """Payments of one direction (received or sent), amounts in their own currency."""

    money_fields = ("amount",)

    def __init__(self, direction: str, **kwargs):
        super().__init__(Payment, **kwargs)
        self.direction = direction

    def conditions(self, params, actor):
        return [Payment.kind == self.direction, *super().conditions(params, actor)]

    def shows(self, record) -> bool:
        return record.kind == self.direction


class StatementView(ReadOnlyView):
    record_template = "accounting/statement_record.html"


class SettingsView(AccountingView):
    """A company's one settings row: changed, never deleted (the lock date has its own page and service)."""

    importable = False  # lines, a single row or posting: no flat file fits

    def title(self, record) -> str:
        return str(self.label)

    def deletable(self, record) -> bool:
        return False

    def delete(self, session, actor, record) -> None:
        raise AccessDenied(gettext("The accounting settings of a company cannot be deleted."))


class FiscalYearView(AccountingView):
    """Years are created with their monthly periods; the state moves only by the year-end closing."""

    def create(self, session, actor, values):
        from .services.years import create_fiscal_year

        return create_fiscal_year(session, actor.company_id, date_start=values["date_start"],
                                  date_end=values["date_end"])

    def update(self, session, actor, record, values):
        raise AccessDenied(gettext("A fiscal year's dates cannot be changed; close it, or create the next one."))

    def editable(self, record) -> bool:
        return False


class PaymentTermView(AccountingView):
    """A payment term and its instalments, edited together."""

    importable = False  # lines, a single row or posting: no flat file fits

    form_template = "accounting/lines_form.html"
    record_template = "accounting/payment_term_record.html"
    line_fields = ("percent", "days", "end_of_month")

    def form_class(self, session, record=None):
        return term_form.payment_term_form_class(self, session, record)

    def create(self, session, actor, values):
        return terms.save_term(session, actor.company_id, None, name=values["name"], lines=values["lines"],
                               active=values.get("active", True))

    def update(self, session, actor, record, values):
        return terms.save_term(session, record.company_id, record, name=values["name"], lines=values["lines"],
                               active=values.get("active", True))


class InvoiceView(AccountingView):
    """Invoices of one kind; the form holds the lines and saving goes through the invoicing service."""

    importable = False  # lines, a single row or posting: no flat file fits

    list_template = "accounting/invoice_list.html"
    record_template = "accounting/invoice_record.html"
    form_template = "accounting/lines_form.html"
    status_field = "state"
    line_fields = ("description", "product_id", "account_id", "quantity", "unit_price", "discount", "tax_ids")
    previews = True
    money_fields = ("amount_untaxed", "amount_tax", "amount_total", "residual")

    def __init__(self, kind: str, **kwargs):
        super().__init__(Invoice, **kwargs)
        self.kind = kind
        self.partner_label = _l("Customer") if kind in (OUT_INVOICE, OUT_REFUND) else _l("Supplier")

    def label_of(self, field: str) -> str:
        return str(self.partner_label) if field == "partner_id" else super().label_of(field)

    def conditions(self, params, actor):
        """Of this kind; the search also finds the partner's name."""
        conditions = [Invoice.kind == self.kind]
        if params.q:
            pattern = "%" + params.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            conditions.append(or_(Invoice.number.ilike(pattern, escape="\\"),
                                  Invoice.reference.ilike(pattern, escape="\\"),
                                  Invoice.partner_id.in_(select(Partner.id).where(
                                      Partner.name.ilike(pattern, escape="\\")))))
        by_key = {f.key: f for f in self.filters}
        return conditions + [by_key[key].where(actor) for key in params.filters]

    def editable(self, record) -> bool:
        return record.state == DRAFT

    def shows(self, record) -> bool:
        return record.kind == self.kind

    def can_post(self) -> bool:
        """Whether the user may post (the list's "Post the drafts")."""
        return can(Move, "create")

    def display(self, record, field: str) -> str:
        if field == "number":
            return record.display_name
        return super().display(record, field)

    def form_class(self, session, record=None):
        return invoice_form.invoice_form_class(self, session, self.kind, record)

    def create(self, session, actor, values):
        return invoice_form.save(session, actor, None, self.kind, values)

    def update(self, session, actor, record, values):
        return invoice_form.save(session, actor, record, self.kind, values)

    def preview(self, session, actor, record, values):
        return invoice_form.preview(session, actor, record, self.kind, values)

    def record_context(self, record) -> dict:
        from .web.invoices import invoice_page_context

        return invoice_page_context(record)


PAYMENT_COLUMNS = ("date", "partner_id", "journal_id", "amount", "reference", "state")
PAYMENT_FIELDS = ("date", "partner_id", "journal_id", "amount", "currency_code", "reference", "state", "move_id")


def _invoice_filters():
    today = lambda: utcnow().date()  # noqa: E731 - evaluated per request
    return (
        Filter("draft", _l("Draft"), lambda actor: Invoice.state == DRAFT),
        Filter("posted", _l("Posted"), lambda actor: Invoice.state == POSTED),
        Filter("unpaid", _l("Not paid"), lambda actor: (Invoice.state == POSTED)
               & Invoice.payment_state.not_in(SETTLED)),
        Filter("overdue", _l("Overdue"), lambda actor: (Invoice.state == POSTED)
               & Invoice.payment_state.not_in(SETTLED) & (Invoice.due_date < today())),
    )


def _invoice_view(kind, name, slug, label, label_plural):
    return InvoiceView(
        kind, name=name, slug=slug, label=label, label_plural=label_plural,
        list_columns=("number", "partner_id", "date", "due_date", "amount_total", "residual", "state",
                      "payment_state"),
        search_fields=("number", "reference"), default_order="date",
        form_fields=("partner_id", "date", "payment_term_id", "due_date", "journal_id", "currency_code", "reference",
                     "narration"),
        filters=_invoice_filters())


def accounting_views() -> tuple[ModelView, ...]:
    return (
        _invoice_view(OUT_INVOICE, "invoice", "invoices", _l("Customer invoice"), _l("Customer invoices")),
        _invoice_view(OUT_REFUND, "credit_note", "credit-notes", _l("Credit note"), _l("Credit notes")),
        _invoice_view(IN_INVOICE, "bill", "bills", _l("Supplier bill"), _l("Supplier bills")),
        _invoice_view(IN_REFUND, "refund", "supplier-credit-notes", _l("Supplier credit note"),
                      _l("Supplier credit notes")),
        PaymentView(INBOUND, name="payment_in", slug="payments-received", label=_l("Payment received"),
                    label_plural=_l("Payments received"), list_columns=PAYMENT_COLUMNS, search_fields=("reference",),
                    form_fields=PAYMENT_FIELDS),
        PaymentView(OUTBOUND, name="payment_out", slug="payments-sent", label=_l("Payment sent"),
                    label_plural=_l("Payments sent"), list_columns=PAYMENT_COLUMNS, search_fields=("reference",),
                    form_fields=PAYMENT_FIELDS),
        MoveView(Move, name="move", slug="entries", label=_l("Journal entry"), label_plural=_l("Journal entries"),
                 list_columns=("number", "date", "journal_id", "partner_id", "ref", "state"),
                 search_fields=("number", "ref"), default_order="date",
                 form_fields=("number", "date", "journal_id", "partner_id", "ref", "state", "origin", "narration"),
                 filters=(Filter("draft", _l("Draft"), lambda actor: Move.state == DRAFT),
                          Filter("posted", _l("Posted"), lambda actor: Move.state == POSTED))),
        ReadOnlyView(MoveLine, name="move_line", slug="items", label=_l("Journal item"),
                     label_plural=_l("Journal items"),
                     list_columns=("date", "move_id", "account_id", "partner_id", "name", "debit", "credit"),
                     search_fields=("name",), default_order="date",
                     form_fields=("move_id", "date", "account_id", "partner_id", "name", "debit", "credit",
                                  "currency_code", "amount_currency", "date_maturity"),
                     filters=(Filter("posted", _l("Posted"), lambda actor: MoveLine.posted.is_(True)),)),
        StatementView(BankStatement, name="statement", slug="statements", label=_l("Bank statement"),
                      label_plural=_l("Bank statements"),
                      list_columns=("date", "name", "journal_id", "balance_start", "balance_end"),
                      form_fields=("name", "date", "journal_id", "balance_start", "balance_end", "filename")),
        ReadOnlyView(Reconciliation, name="reconciliation", slug="reconciliations", label=_l("Reconciliation"),
                     label_plural=_l("Reconciliations"), list_columns=("date", "amount"), search_fields=(),
                     form_fields=("date", "debit_line_id", "credit_line_id", "amount")),
        AccountingView(Account, name="account", slug="accounts", label=_l("Account"),
                       label_plural=_l("Chart of accounts"), search_fields=("code", "name"),
                       filters=(Filter("inactive", _l("Archived"), lambda actor: Account.active.is_(False)),)),
        AccountingView(Journal, name="journal", slug="journals", label=_l("Journal"), label_plural=_l("Journals"),
                       search_fields=("code", "name")),
        AccountingView(Tax, name="tax", slug="taxes", label=_l("Tax"), label_plural=_l("Taxes"),
                       search_fields=("code", "name"), default_order="sequence"),
        PaymentTermView(PaymentTerm, name="payment_term", slug="payment-terms", label=_l("Payment terms"),
                        label_plural=_l("Payment terms")),
        FiscalYearView(FiscalYear, name="fiscal_year", slug="fiscal-years", label=_l("Fiscal year"),
                       label_plural=_l("Fiscal years"), form_fields=("date_start", "date_end"),
                       default_order="date_start"),
        AccountingView(CurrencyRate, name="currency_rate", slug="currency-rates", label=_l("Currency rate"),
                       label_plural=_l("Currencies and rates"), search_fields=("currency_code",),
                       default_order="date"),
        SettingsView(Settings, name="settings", slug="defaults", label=_l("Accounting settings"),
                     label_plural=_l("Accounting settings"), search_fields=(), form_fields=(
                         "tax_rounding", "receivable_account_id", "payable_account_id", "income_account_id",
                         "expense_account_id", "retained_earnings_account_id", "exchange_gain_account_id",
                         "exchange_loss_account_id", "writeoff_account_id", "sale_tax_id", "purchase_tax_id")),
        AccountingView(Budget, name="budget", slug="budgets", label=_l("Budget"), label_plural=_l("Budgets")),
        AccountingView(BudgetLine, name="budget_line", slug="budget-lines", label=_l("Budget line"),
                       label_plural=_l("Budget lines"), search_fields=()),
    )
