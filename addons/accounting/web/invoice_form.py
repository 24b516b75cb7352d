"""The invoice form: header fields from the generic form builder, plus a table of lines.

Only input parsing lives here; the invoicing service computes the totals,
checks the invoice and refuses to change one that is posted.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import DecimalField, Form, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from addons.products.models import Product
from core.fields import field_of
from core.web.forms import build_form_class, select_choices, within_dates
from core.web.pickers import ChoicesPickerField, LocaleDateField

from ..models import Account, Currency, InvoiceLine, Journal, Tax
from ..models.invoicing import IN_INVOICE, IN_REFUND
from ..models.ledger import EXPENSE, INCOME, PURCHASE, SALE
from ..models.taxes import PURCHASE as TAX_PURCHASE
from ..models.taxes import SALE as TAX_SALE
from core.web.lines import filled, given, with_lines
from core.web.previews import DocumentPreview, document_preview

LIMIT = Decimal(10) ** 12


class TaxesField(ChoicesPickerField):
    """Several taxes of a line, as removable chips holding tax ids."""


def _line_label(name: str):
    return field_of(InvoiceLine, name).label


def is_purchase(kind: str) -> bool:
    return kind in (IN_INVOICE, IN_REFUND)


def _line_form_class(session, kind: str):
    purchase = is_purchase(kind)
    tax_rows = session.scalars(select(Tax).where(Tax.use == (TAX_PURCHASE if purchase else TAX_SALE),
                                              Tax.active.is_(True)).order_by(Tax.sequence, Tax.id)).all()
    account_rows = session.scalars(select(Account).where(Account.active.is_(True)).order_by(
        (Account.type != (EXPENSE if purchase else INCOME)), Account.code)).all()
    product_rows = session.scalars(select(Product).where(Product.active.is_(True)).order_by(Product.code)).all()

    class LineForm(Form):
        description = StringField(_line_label("description"), [Optional(), Length(max=255)])
        product_id = SelectField(_line_label("product_id"), choices=select_choices(
            [("", ""), *((p.id, p.display_name) for p in product_rows)]), coerce=_optional_int)
        quantity = DecimalField(_line_label("quantity"), [Optional(), NumberRange(min=-LIMIT, max=LIMIT)], default=Decimal(1),
                                places=None)
        unit_price = DecimalField(_line_label("unit_price"), [Optional(), NumberRange(min=-LIMIT, max=LIMIT)], places=None)
        discount = DecimalField(_line_label("discount"), [Optional(), NumberRange(min=0, max=100)], default=Decimal(0),
                                places=None)
        tax_ids = TaxesField(_line_label("taxes"), choices=select_choices((t.id, t.name) for t in tax_rows), coerce=int)
        account_id = SelectField(_line_label("account_id"), choices=select_choices(
            [("", _l("Default account")), *((a.id, a.display_name) for a in account_rows)]),
            coerce=_optional_int)

        def is_blank(self) -> bool:
            return not any(filled(field) for field in (self.description, self.product_id, self.unit_price))

    return LineForm


def _optional_int(value):
    if value in (None, ""):
        return None
    return value if isinstance(value, int) else int(value)


def invoice_form_class(view, session, kind: str, record=None):
    base = build_form_class(view, session, record)
    journals = session.scalars(select(Journal).where(Journal.kind == (PURCHASE if is_purchase(kind) else SALE),
                                                     Journal.active.is_(True)).order_by(Journal.code)).all()
    currencies = session.scalars(select(Currency.code).order_by(Currency.code)).all()

    class InvoiceForm(with_lines(base, _line_form_class(session, kind))):
        date = LocaleDateField(view.label_of("date"), [InputRequired(), within_dates], default=dt.date.today)
        journal_id = SelectField(view.label_of("journal_id"), coerce=_optional_int, choices=select_choices(
            [("", ""), *((j.id, j.display_name) for j in journals)]), validators=[Optional()],
            default=journals[0].id if journals else None)
        currency_code = SelectField(view.label_of("currency_code"), choices=select_choices(
            (code, code) for code in currencies), default="EUR")

    return InvoiceForm


def save(session, actor, invoice, kind: str, values: dict):
    """Create or update a draft invoice through the invoicing service; without ``lines`` they stay as they are.

    A value left empty on a line takes the service's default (quantity 1, the product's account and taxes, the
    default account...): a product line saved with no tax ticked gets the product's taxes, as the quotation
    form does (a form cannot tell "none" from "not chosen"; the JSON API and the services can).
    """
    from ..services import invoices

    lines = given(values.pop("lines", None))
    if invoice is None:
        return invoices.create_invoice(session, company_id=actor.company_id, kind=kind, lines=lines or (), **values)
    return invoices.update_invoice(session, invoice, lines=lines, **values)


def preview(session, actor, invoice, kind: str, values: dict) -> DocumentPreview:
    """What saving the form's ``values`` would store, as the invoicing service builds the draft in memory: the
    lines with their product's defaults, amounts and taxes, and the invoice's taxes and totals."""
    from ..services import invoices

    lines = given(values.pop("lines", None)) or ()
    draft = invoices.new_draft(session, company_id=invoice.company_id if invoice else actor.company_id, kind=kind,
                               lines=lines, origin_invoice_id=invoice.origin_invoice_id if invoice else None,
                               **values)
    return document_preview(draft.currency_code, draft.lines, draft.taxes, untaxed=draft.amount_untaxed,
                            tax=draft.amount_tax, total=draft.amount_total,
                            filled=("description", "unit_price", "account_id"))
