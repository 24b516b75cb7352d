"""The payment term form: its name and its instalments (percent of the total, days, end of month)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DecimalField, Form, IntegerField
from wtforms.validators import InputRequired, NumberRange, Optional

from core.web.context import current_registry
from core.web.forms import build_form_class

from ..models import PaymentTerm, PaymentTermLine
from ..services.terms import instalments
from .lines import filled, with_lines


class TermLineForm(Form):
    percent = DecimalField(_l("Percent of the total"), [InputRequired(), NumberRange(min=0, max=100)], places=None)
    days = IntegerField(_l("Days after the invoice date"), [Optional(), NumberRange(min=0, max=3660)])
    end_of_month = BooleanField(_l("At the end of that month"))

    def is_blank(self) -> bool:
        return not filled(self.percent)


def payment_term_form_class(view, session):
    return with_lines(build_form_class(view, session, current_registry()), TermLineForm)


def save(session, actor, term: PaymentTerm | None, values: dict) -> PaymentTerm:
    """Write the term and replace its instalments; the terms service checks them as it will use them."""
    rows = values.pop("lines")
    company_id = term.company_id if term is not None else actor.company_id
    lines = [PaymentTermLine(company_id=company_id, sequence=(index + 1) * 10, percent=row["percent"],
                             days=row["days"] or 0, end_of_month=bool(row["end_of_month"]))
             for index, row in enumerate(rows)]
    instalments(lines, dt.date.today(), Decimal(100))
    if term is None:
        term = PaymentTerm(company_id=company_id)
        session.add(term)
    term.name, term.active = values["name"], values.get("active", True)
    term.lines = lines
    session.flush()
    return term
