"""Forecasts: what the company expects to need, a demand of the requirements run."""
from __future__ import annotations

from flask_babel import gettext
from sqlalchemy.orm import Session

from addons.products.models import Product
from core.errors import ValidationError
from core.fields import clean

from .models import Forecast


def _check_product(session: Session, company_id: int, product_id: int) -> None:
    if session.get(Product, product_id).company_id not in (None, company_id):
        raise ValidationError(gettext("Choose a product of this company."), "product_id")


def create_forecast(session: Session, company_id: int, **values) -> Forecast:
    """A forecast (``product_id``, ``date``, ``quantity`` in the product's unit, above zero; ``note``)."""
    values = clean(Forecast, values, session=session, creating=True)
    _check_product(session, company_id, values["product_id"])
    forecast = Forecast(company_id=company_id, **values)
    session.add(forecast)
    session.flush()
    return forecast


def update_forecast(session: Session, forecast: Forecast, **values) -> Forecast:
    values = clean(Forecast, values, record=forecast, session=session)
    if "product_id" in values:
        _check_product(session, forecast.company_id, values["product_id"])
    for key, value in values.items():
        setattr(forecast, key, value)
    session.flush()
    return forecast
