"""The claim form: its header fields from the generic form builder, plus a table of expense lines."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from wtforms import DecimalField, Form, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from core.fields import field_of
from core.web.forms import build_form_class, select_choices, within_dates
from core.web.lines import filled, optional_int, with_lines
from core.web.pickers import LocaleDateField

from .models import ExpenseCategory, ExpenseLine

LIMIT = Decimal(10) ** 12


def _label(name: str):
    return field_of(ExpenseLine, name).label


def _line_form_class(session):
    categories = session.scalars(select(ExpenseCategory).where(ExpenseCategory.active.is_(True))
                                 .order_by(ExpenseCategory.name)).all()

    class LineForm(Form):
        category_id = SelectField(_label("category_id"), choices=select_choices(
            [("", ""), *((c.id, c.name) for c in categories)]), coerce=optional_int)
        date = LocaleDateField(_label("date"), [Optional(), within_dates])
        description = StringField(_label("description"), [Optional(), Length(max=255)])
        amount = DecimalField(_label("amount"), [Optional(), NumberRange(min=-LIMIT, max=LIMIT)], places=None)

        def is_blank(self) -> bool:
            return not any(filled(field) for field in (self.category_id, self.description, self.amount))

    return LineForm


def claim_form_class(view, session, record=None):
    return with_lines(build_form_class(view, session, record), _line_form_class(session))

