"""Keeping price lists and their rules: dates in order, rules complete, quantity ranges that do not overlap.

Two rules of one list overlap when they price the same target (the same
product, the same category, or all products) and their quantity ranges
``[min, max)`` share a quantity: the price of that quantity would depend on
which rule was found first, so the second one is refused, naming the first.
"""
from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from addons.products.models import Product, ProductCategory
from core.errors import ValidationError
from core.fields import clean

from ..models import ALL_PRODUCTS, CATEGORY, FIXED, PRODUCT, PriceList, PriceRule
from .pricing import number, quantity_words


def _check_dates(pricelist: PriceList) -> None:
    if pricelist.date_start and pricelist.date_end and pricelist.date_end < pricelist.date_start:
        raise ValidationError(gettext("The list is valid until %(end)s, before it starts on %(start)s: the end date "
                                      "must not come before the start date.", end=pricelist.date_end.isoformat(),
                                      start=pricelist.date_start.isoformat()), "date_end")


def create_pricelist(session: Session, company_id: int, **values) -> PriceList:
    values = clean(PriceList, values, session=session)
    pricelist = PriceList(company_id=company_id, **values)
    _check_dates(pricelist)
    session.add(pricelist)
    session.flush()
    return pricelist


def update_pricelist(session: Session, pricelist: PriceList, **values) -> PriceList:
    values = clean(PriceList, values, record=pricelist, session=session)
    with session.begin_nested():
        for key, value in values.items():
            setattr(pricelist, key, value)
        _check_dates(pricelist)
        session.flush()
    return pricelist


def create_rule(session: Session, pricelist_id: int, **values) -> PriceRule:
    """A rule of the list; refused when incomplete or when its quantities overlap another rule's."""
    values = clean(PriceRule, {"pricelist_id": pricelist_id, "applies_to": PRODUCT, "method": FIXED,
                               "min_quantity": Decimal(0), "percent": Decimal(0), **values}, session=session)
    pricelist = session.get(PriceList, values["pricelist_id"])
    with session.begin_nested():
        rule = PriceRule(company_id=pricelist.company_id, **values)
        session.add(rule)
        rule.pricelist = pricelist
        _check_rule(session, rule)
        session.flush()
    return rule


def update_rule(session: Session, rule: PriceRule, **values) -> PriceRule:
    values = clean(PriceRule, values, record=rule, session=session)
    with session.begin_nested():
        for key, value in values.items():
            setattr(rule, key, value)
        if "pricelist_id" in values:
            rule.pricelist = session.get(PriceList, rule.pricelist_id)
            rule.company_id = rule.pricelist.company_id
        _check_rule(session, rule)
        session.flush()
    return rule


def delete_rule(session: Session, rule: PriceRule) -> None:
    session.delete(rule)
    session.flush()


def _check_rule(session: Session, rule: PriceRule) -> None:
    with session.no_autoflush:
        _check_target(session, rule)
    if rule.method == FIXED:
        _require(rule.fixed_price is not None, gettext("A fixed-price rule needs its price."), "fixed_price")
    if rule.max_quantity is not None and rule.max_quantity <= rule.min_quantity:
        raise ValidationError(gettext("“Up to quantity” (%(max)s) must be above “From quantity” (%(min)s).",
                                      max=number(rule.max_quantity), min=number(rule.min_quantity)),
                              "max_quantity")
    _check_overlap(session, rule)


def _check_target(session: Session, rule: PriceRule) -> None:
    if rule.applies_to == PRODUCT:
        _require(rule.product_id, gettext("A rule for a product needs the product."), "product_id")
        rule.category_id = None
        _same_company(session, rule, Product, rule.product_id, "product_id")
    elif rule.applies_to == CATEGORY:
        _require(rule.category_id, gettext("A rule for a category needs the category."), "category_id")
        rule.product_id = None
        _same_company(session, rule, ProductCategory, rule.category_id, "category_id")
    else:
        rule.product_id = rule.category_id = None


def _check_overlap(session: Session, rule: PriceRule) -> None:
    clash = _overlapping(session, rule)
    if clash is not None:
        raise ValidationError(gettext(
            "The quantities of this rule (%(mine)s) overlap those of rule %(other)s (%(theirs)s) for the same "
            "%(target)s in the list “%(list)s”: change the quantities so that the ranges do not overlap.",
            mine=_range(rule), other=clash.id, theirs=_range(clash), target=_target(rule),
            list=rule.pricelist.name), "min_quantity")


def _require(value, message: str, field: str) -> None:
    if not value:
        raise ValidationError(message, field)


def _same_company(session: Session, rule: PriceRule, model, record_id: int, field: str) -> None:
    if session.get(model, record_id).company_id != rule.company_id:
        raise ValidationError(gettext("Choose a record of the price list's company."), field)


def _overlapping(session: Session, rule: PriceRule) -> PriceRule | None:
    query = select(PriceRule).where(
        PriceRule.pricelist_id == rule.pricelist_id, PriceRule.applies_to == rule.applies_to,
        PriceRule.product_id.is_(None) if rule.product_id is None else PriceRule.product_id == rule.product_id,
        PriceRule.category_id.is_(None) if rule.category_id is None else PriceRule.category_id == rule.category_id,
    )
    if rule.id is not None:
        query = query.where(PriceRule.id != rule.id)
    with session.no_autoflush:
        others = session.scalars(query.order_by(PriceRule.id)).all()
    return next((other for other in others if _overlap(rule, other)), None)


def _overlap(one: PriceRule, other: PriceRule) -> bool:
    below = one.max_quantity is None or other.min_quantity < one.max_quantity
    above = other.max_quantity is None or one.min_quantity < other.max_quantity
    return below and above


def _range(rule: PriceRule) -> str:
    return quantity_words(rule.min_quantity, rule.max_quantity) or gettext("every quantity")


def _target(rule: PriceRule) -> str:
    return {PRODUCT: gettext("product"), CATEGORY: gettext("category"),
            ALL_PRODUCTS: gettext("set of all products")}[rule.applies_to]
