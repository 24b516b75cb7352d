"""The quotation form: header fields from the generic form builder, plus a table of lines (core.web.lines).

Only input parsing lives here; the quotation service prices the lines, checks
them and refuses to change a quotation that is no longer one.
"""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from wtforms import BooleanField, DecimalField, Form, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from addons.accounting.models import Tax
from addons.accounting.models.ledger import SALE
from addons.accounting.web.invoice_form import TaxesField
from addons.products.models import Product, Uom
from core.fields import field_of
from core.web.forms import build_form_class, select_choices
from core.web.lines import filled, given, optional_int, with_lines
from core.web.previews import DocumentPreview, document_preview

from ..models import LINE_KINDS, PRODUCT, SaleOrderLine
from .line_extensions import with_line_extensions
from .variants import with_variants

LIMIT = Decimal(10) ** 12
DEFAULTED = ("user_id", "team_id", "pricelist_id", "currency_code", "date_order", "validity_date")


def _label(name: str):
    return field_of(SaleOrderLine, name).label


def _line_form_class(session):
    products = session.scalars(select(Product).where(Product.active.is_(True)).order_by(Product.code)).all()
    units = session.scalars(select(Uom).where(Uom.active.is_(True)).order_by(Uom.category_id, Uom.factor)).all()
    taxes = session.scalars(select(Tax).where(Tax.use == SALE, Tax.active.is_(True))
                            .order_by(Tax.sequence, Tax.id)).all()

    class LineForm(Form):
        kind = SelectField(_label("kind"), choices=select_choices(LINE_KINDS), default=PRODUCT)
        product_id = SelectField(_label("product_id"), choices=select_choices(
            [("", ""), *((p.id, p.display_name) for p in products)]), coerce=optional_int)
        description = StringField(_label("description"), [Optional(), Length(max=255)])
        quantity = DecimalField(_label("quantity"), [Optional(), NumberRange(min=-LIMIT, max=LIMIT)],
                                default=Decimal(1), places=None)
        uom_id = SelectField(_label("uom_id"), choices=select_choices(
            [("", ""), *((u.id, u.display_name) for u in units)]), coerce=optional_int)
        unit_price = DecimalField(_label("unit_price"), [Optional(), NumberRange(min=-LIMIT, max=LIMIT)],
                                  places=None)
        discount = DecimalField(_label("discount"), [Optional(), NumberRange(min=-LIMIT, max=LIMIT)],
                                places=None)
        tax_ids = TaxesField(_label("taxes"), choices=select_choices((t.id, t.name) for t in taxes), coerce=int)
        optional = BooleanField(_label("optional"))

        def is_blank(self) -> bool:
            return not any(filled(field) for field in (self.product_id, self.description, self.unit_price))

    return with_line_extensions(with_variants(LineForm, session), session)


def quote_form_class(view, session, record=None):
    return with_lines(build_form_class(view, session, record), _line_form_class(session))


def save(session, actor, order, values: dict):
    """Create or update a quotation through the quotation service; a value left empty on a line takes the
    service's default (quantity 1, the product's unit, the price list's price, no discount)."""
    from ..services.quotes import create_quote, update_quote

    lines, values = _given(values)
    if order is None:
        return create_quote(session, actor.company_id, lines=lines or (), **values)
    return update_quote(session, order, lines=lines, **values)


def preview(session, actor, order, values: dict) -> DocumentPreview:
    """What saving the form's ``values`` would store, as the quotation service builds it in memory: the lines
    with their product's description, unit, price list price and taxes, their amounts, the taxes and totals.
    For a quotation being changed, a header value left empty keeps the quotation's, as saving does."""
    from ..services.amounts import compute
    from ..services.quotes import new_quote

    lines, values = _given(values)
    if order is not None:
        values = {**{key: getattr(order, key) for key in DEFAULTED}, **values}
    quote = new_quote(session, order.company_id if order else actor.company_id, lines=lines or (), **values)
    totals = compute(session, quote)
    return document_preview(quote.currency_code, quote.lines, totals.taxes, untaxed=totals.untaxed, tax=totals.tax,
                            total=totals.total, filled=("description", "unit_price", "uom_id"))


def _given(values: dict) -> tuple[list | None, dict]:
    """The lines and header values the user gave; left empty, a line's value and the header's ``DEFAULTED``
    ones take the service's defaults (the user, the customer's list and its currency, today)."""
    lines = given(values.pop("lines", None))
    return lines, {key: value for key, value in values.items() if value is not None or key not in DEFAULTED}
