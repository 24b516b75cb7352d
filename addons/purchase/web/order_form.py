"""The order form: header fields from the generic form builder, plus a table of lines (core.web.lines).

Only input parsing lives here; the order service prices the lines, checks
them and refuses to change an order that is no longer a request.
"""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from wtforms import DecimalField, Form, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from addons.products.models import Product, Uom
from core.fields import field_of
from core.web.forms import build_form_class, select_choices, within_dates
from core.web.lines import filled, given, optional_int, with_lines
from core.web.pickers import LocaleDateField
from core.web.previews import DocumentPreview, document_preview

from ..models import OrderLine

LIMIT = Decimal(10) ** 12


def _label(name: str):
    return field_of(OrderLine, name).label


def _line_form_class(session):
    products = session.scalars(select(Product).where(Product.active.is_(True)).order_by(Product.code)).all()
    units = session.scalars(select(Uom).where(Uom.active.is_(True)).order_by(Uom.category_id, Uom.factor)).all()

    class LineForm(Form):
        product_id = SelectField(_label("product_id"), choices=select_choices(
            [("", ""), *((p.id, p.display_name) for p in products)]), coerce=optional_int)
        description = StringField(_label("description"), [Optional(), Length(max=255)])
        quantity = DecimalField(_label("quantity"), [Optional(), NumberRange(min=-LIMIT, max=LIMIT)],
                                default=Decimal(1), places=None)
        uom_id = SelectField(_label("uom_id"), choices=select_choices(
            [("", ""), *((u.id, u.display_name) for u in units)]), coerce=optional_int)
        unit_price = DecimalField(_label("unit_price"), [Optional(), NumberRange(min=-LIMIT, max=LIMIT)],
                                  places=None)
        expected_date = LocaleDateField(_label("expected_date"), [Optional(), within_dates])

        def is_blank(self) -> bool:
            return not any(filled(field) for field in (self.product_id, self.description, self.unit_price))

    return LineForm


def order_form_class(view, session, record=None):
    return with_lines(build_form_class(view, session, record), _line_form_class(session))


def save(session, actor, order, values: dict):
    """Create or update a request through the order service; a value left empty on a line takes the service's
    default (quantity 1, the product's purchase unit, the supplier's price, the date from the lead time)."""
    from ..services.orders import create_order, update_order

    lines = given(values.pop("lines", None))
    if order is None:
        return create_order(session, actor.company_id, lines=lines or (), **values)
    return update_order(session, order, lines=lines, **values)


def preview(session, actor, order, values: dict) -> DocumentPreview:
    """What saving the form's ``values`` would store, as the order service builds it in memory: the lines with
    the supplier's price, the product's purchase unit and description, their subtotals and the total (a
    request has no taxes: they are the invoice's)."""
    from ..services.orders import new_order

    lines = given(values.pop("lines", None))
    company_id = order.company_id if order is not None else actor.company_id
    request = new_order(session, company_id, lines=lines or (), **values)
    return document_preview(request.currency_code, request.lines, (), untaxed=request.amount_total,
                            tax=Decimal(0), total=request.amount_total,
                            filled=("description", "unit_price", "uom_id"))
