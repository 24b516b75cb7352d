"""The payment term form: its name and its instalments (percent of the total, days, end of month)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DecimalField, Form, IntegerField
from wtforms.validators import InputRequired, NumberRange, Optional

from core.web.forms import build_form_class

from .lines import filled, with_lines


class TermLineForm(Form):
    percent = DecimalField(_l("Percent of the total"), [InputRequired(), NumberRange(min=0, max=100)], places=None)
    days = IntegerField(_l("Days after the invoice date"), [Optional(), NumberRange(min=0, max=3660)])
    end_of_month = BooleanField(_l("At the end of that month"))

    def is_blank(self) -> bool:
        return not filled(self.percent)


def payment_term_form_class(view, session, record=None):
    return with_lines(build_form_class(view, session, record), TermLineForm)

