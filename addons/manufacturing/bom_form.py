"""The bill of materials form: its header from the generic form builder, its components as lines."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from wtforms import DecimalField, Form, SelectField
from wtforms.validators import NumberRange, Optional

from addons.products.models import Product, Uom
from core.fields import field_of
from core.web.forms import build_form_class, select_choices
from core.web.lines import filled, optional_int, with_lines

from .models import BomLine

LIMIT = Decimal(10) ** 12


def _label(name: str):
    return field_of(BomLine, name).label


def _line_form_class(session):
    products = session.execute(select(Product.id, Product.code, Product.name).where(Product.active.is_(True))
                               .order_by(Product.code)).all()
    units = session.scalars(select(Uom).where(Uom.active.is_(True)).order_by(Uom.category_id, Uom.factor)).all()

    class LineForm(Form):
        product_id = SelectField(_label("product_id"), choices=select_choices(
            [("", ""), *((row.id, f"[{row.code}] {row.name}") for row in products)]), coerce=optional_int)
        quantity = DecimalField(_label("quantity"), [Optional(), NumberRange(min=0, max=LIMIT)], places=None)
        uom_id = SelectField(_label("uom_id"), choices=select_choices(
            [("", ""), *((unit.id, unit.display_name) for unit in units)]), coerce=optional_int)
        scrap_percent = DecimalField(_label("scrap_percent"), [Optional(), NumberRange(min=0, max=99)], places=None)

        def is_blank(self) -> bool:
            return not any(filled(field) for field in (self.product_id, self.quantity))

    return LineForm


def bom_form_class(view, session, record=None):
    """The bill's fields, then its components (a bill's ``lines`` fill the rows)."""

    class BomForm(with_lines(build_form_class(view, session, record), _line_form_class(session))):
        def __init__(self, *args, obj=None, **kwargs):
            if obj is not None and "lines" not in kwargs:
                kwargs["lines"] = list(obj.lines)
            super().__init__(*args, obj=obj, **kwargs)

    return BomForm
