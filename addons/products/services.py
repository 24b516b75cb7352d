"""Saving products: the field layer cleans the values; the business rule here is a code used once."""
from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import select

from core.errors import ValidationError
from core.fields import clean

from .models import Product


def _check_code_free(session, company_id: int, code: str | None, exclude_id: int | None = None) -> None:
    query = select(Product.id).where(Product.company_id == company_id, Product.code == code)
    if exclude_id is not None:
        query = query.where(Product.id != exclude_id)
    if code and session.scalar(query) is not None:
        raise ValidationError(gettext("Another product already has the code %(code)s.", code=code), "code")


def create_product(session, company_id: int, **values) -> Product:
    values = clean(Product, values)
    _check_code_free(session, company_id, values.get("code"))
    product = Product(company_id=company_id, **values)
    session.add(product)
    session.flush()
    return product


def update_product(session, product: Product, **values) -> Product:
    values = clean(Product, values, record=product)
    _check_code_free(session, product.company_id, values.get("code", product.code), exclude_id=product.id)
    for key, value in values.items():
        setattr(product, key, value)
    session.flush()
    return product
