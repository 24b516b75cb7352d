"""Saving products and their categories: the field layer cleans the values; the business rules are here.

A product's code is used once per company; a category cannot become its own ancestor. Configurable
products and their variants are kept in :mod:`.variants`.
"""
from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import select

from core.errors import ValidationError
from core.fields import clean
from core.trees import cycle_chain

from .models import Product, ProductCategory
from .units import default_unit_id


def _check_code_free(session, company_id: int, code: str | None, exclude_id: int | None = None) -> None:
    query = select(Product.id).where(Product.company_id == company_id, Product.code == code)
    if exclude_id is not None:
        query = query.where(Product.id != exclude_id)
    if code and session.scalar(query) is not None:
        raise ValidationError(gettext("Another product already has the code %(code)s.", code=code), "code")


def create_product(session, company_id: int, **values) -> Product:
    product = new_product(session, company_id, **values)
    session.add(product)
    session.flush()
    return product


def new_product(session, company_id: int, **values) -> Product:
    """A product checked and not yet added, for a service that sets what a user may not (a variant's origin)."""
    values = clean(Product, values, session=session)
    _check_code_free(session, company_id, values.get("code"))
    if values.get("uom_id") is None:
        values["uom_id"] = default_unit_id(session)
    return Product(company_id=company_id, **values)


def update_product(session, product: Product, **values) -> Product:
    """Save changes; a configurable product's new list price passes to its variants, whose own is not set."""
    from . import variants

    values = clean(Product, values, record=product, session=session)
    _check_code_free(session, product.company_id, values.get("code", product.code), exclude_id=product.id)
    if "uom_id" in values and values["uom_id"] is None:
        values["uom_id"] = default_unit_id(session)
    repriced = values.get("list_price", product.list_price) != product.list_price
    if repriced and product.template_id is not None:
        raise ValidationError(gettext(
            "The list price of a variant is its configurable product's plus the extras of its values: change "
            "%(template)s or the extras.", template=product.template.display_name), "list_price")
    with session.begin_nested():
        for key, value in values.items():
            setattr(product, key, value)
        session.flush()
        if repriced:
            variants.sync_prices(session, product)
    return product


def create_category(session, company_id: int, **values) -> ProductCategory:
    values = clean(ProductCategory, values, session=session)
    _check_parent(session, None, values.get("parent_id"), company_id)
    category = ProductCategory(company_id=company_id, **values)
    session.add(category)
    session.flush()
    return category


def update_category(session, category: ProductCategory, **values) -> ProductCategory:
    values = clean(ProductCategory, values, record=category, session=session)
    if "parent_id" in values:
        _check_parent(session, category, values["parent_id"], category.company_id)
    for key, value in values.items():
        setattr(category, key, value)
    session.flush()
    return category


def _check_parent(session, category: ProductCategory | None, parent_id: int | None, company_id: int) -> None:
    """Refuse a parent of another company, or one under ``category`` itself (the chain is named)."""
    if parent_id is None:
        return
    parent = session.get(ProductCategory, parent_id)
    if parent.company_id != company_id:
        raise ValidationError(gettext("The parent category belongs to another company."), "parent_id")
    chain = cycle_chain(category, parent)
    if chain:
        raise ValidationError(gettext(
            "%(name)s cannot be placed under %(parent)s: that category is inside it (%(chain)s).",
            name=category.name, parent=parent.name, chain=" / ".join(chain)), "parent_id")
