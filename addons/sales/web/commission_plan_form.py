"""The commission plan form: who it pays and on what, and its bands (from, up to, rate) as lines."""
from __future__ import annotations

from decimal import Decimal

from wtforms import DecimalField, Form
from wtforms.validators import NumberRange, Optional

from core.fields import field_of
from core.web.forms import build_form_class
from core.web.lines import filled, with_lines

from ..models import CommissionBand

LIMIT = Decimal(10) ** 15


def _label(name: str):
    return field_of(CommissionBand, name).label


class BandForm(Form):
    amount_from = DecimalField(_label("amount_from"), [Optional(), NumberRange(min=-LIMIT, max=LIMIT)], places=None)
    amount_to = DecimalField(_label("amount_to"), [Optional(), NumberRange(min=-LIMIT, max=LIMIT)], places=None)
    rate = DecimalField(_label("rate"), [Optional(), NumberRange(min=-LIMIT, max=LIMIT)], places=None)

    def is_blank(self) -> bool:
        return not any(filled(field) for field in (self.amount_from, self.amount_to, self.rate))


def commission_plan_form_class(view, session, record=None):
    """The plan's fields, then its bands (a plan's ``bands`` fill the ``lines`` rows); the service checks the
    rates and that the bands follow each other."""

    class PlanForm(with_lines(build_form_class(view, session, record), BandForm)):
        def __init__(self, *args, obj=None, **kwargs):
            if obj is not None and "lines" not in kwargs:
                kwargs["lines"] = list(obj.bands)
            super().__init__(*args, obj=obj, **kwargs)

    return PlanForm
