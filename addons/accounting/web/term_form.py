"""The payment term form: its name and its instalments (percent of the total, days, end of month)."""
from __future__ import annotations

from wtforms import BooleanField, DecimalField, Form, IntegerField
from wtforms.validators import InputRequired, NumberRange, Optional

from core.fields import field_of
from core.web.forms import build_form_class

from ..models import PaymentTermLine
from core.web.lines import filled, with_lines


def _label(name: str):
    return field_of(PaymentTermLine, name).label


class TermLineForm(Form):
    percent = DecimalField(_label("percent"), [InputRequired(), NumberRange(min=0, max=100)], places=None)
    days = IntegerField(_label("days"), [Optional(), NumberRange(min=0, max=3660)])
    end_of_month = BooleanField(_label("end_of_month"))

    def is_blank(self) -> bool:
        return not filled(self.percent)


def payment_term_form_class(view, session, record=None):
    return with_lines(build_form_class(view, session, record), TermLineForm)

