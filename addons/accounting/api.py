"""Accounting's business actions in the JSON API: post an invoice, register a payment on it."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from flask_babel import gettext
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from core.api.actions import ApiAction
from core.errors import ValidationError

from .models import Invoice, Journal, Payment


class PaymentParams(BaseModel):
    """A payment of an invoice, as the invoice page's payment form takes it."""

    model_config = ConfigDict(extra="forbid")
    amount: Annotated[Decimal, Field(gt=0, le=Decimal(10) ** 12, allow_inf_nan=False, max_digits=18,
                                     decimal_places=2)]
    date: dt.date
    journal_id: Annotated[StrictInt, Field(ge=1, le=2 ** 31 - 1)] | None = None
    writeoff: StrictBool = False


def _post(session, actor, invoice):
    from .services.invoices import post_invoice

    return post_invoice(session, invoice)


def _pay(session, actor, invoice, *, amount, date, journal_id=None, writeoff=False):
    from .services.payments import register_payment

    session.info["registry"].require(actor, Payment, "create")
    journal = None
    if journal_id is not None:
        journal = session.get(Journal, journal_id)
        if journal is None or journal.company_id != invoice.company_id:
            raise ValidationError(gettext("Choose a bank or cash journal of the invoice's company."), "journal_id")
    return register_payment(session, invoice, amount=amount, date=date, journal=journal, writeoff=writeoff)


def api_actions() -> list[ApiAction]:
    return [ApiAction(Invoice, "post", _post, summary="Post a draft invoice (number it, book its entry)"),
            ApiAction(Invoice, "register_payment", _pay, params=PaymentParams,
                      summary="Register a payment of the invoice and reconcile it")]
