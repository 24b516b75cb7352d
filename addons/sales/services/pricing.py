"""The price a customer gets for a product, a quantity and a date, and why (:func:`price_for`).

Which price list: the one given (a quotation's), else the customer's own
(its commercial company's when the customer is a contact), else the first
list (by id) of one of the customer's tags; a list is considered only while
active and valid on the date. A list in another currency than the quotation
is refused, never converted.

Which rule of the list: among the rules whose quantity range holds the
quantity (``min_quantity`` <= quantity < ``max_quantity``), the most specific:
the product's own (a variant's, then its configurable product's), else its
category's (the nearest category up the tree), else a rule for all products.
Overlapping ranges for the same target are refused when rules are kept
(:mod:`.pricelists`), so the choice is unique.

Without a list or a rule, the price is the product's list price. List prices
and costs are in the company's currency and are converted at the date's rate.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from addons.contacts.models import Partner, Tag
from addons.products.models import Product, ProductCategory
from addons.products.variants import priced_as
from core.errors import ValidationError

from ..models import (
    ALL_PRODUCTS,
    CATEGORY,
    FIXED,
    LIST,
    PRODUCT,
    PriceList,
    PriceRule,
    SalesPartner,
)
from .currency import PLACES, from_company

HUNDRED = Decimal(100)
MINUS = "\u2212"


@dataclass(frozen=True)
class Price:
    """A unit price (per the product's unit, in ``currency_code``) and the words that explain it."""

    amount: Decimal
    currency_code: str
    explanation: str
    pricelist: PriceList | None = None
    rule: PriceRule | None = None


def number(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def pricelist_of(session: Session, partner: Partner, date: dt.date) -> PriceList | None:
    """The customer's price list valid on ``date``: their own (or their company's), else one of their tags'."""
    customers = [partner, *([partner.parent] if partner.parent is not None else [])]
    for customer in customers:
        side = session.get(SalesPartner, customer.id)
        if side is not None and side.pricelist is not None and _usable(side.pricelist, date):
            return side.pricelist
    tag_ids = [tag.id for customer in customers for tag in customer.tags]
    if not tag_ids:
        return None
    candidates = session.scalars(select(PriceList).join(PriceList.tags).where(
        PriceList.active.is_(True), Tag.id.in_(tag_ids)).order_by(PriceList.id)).unique()
    return next((found for found in candidates if found.valid_on(date)), None)


def _usable(pricelist: PriceList, date: dt.date) -> bool:
    return pricelist.active and pricelist.valid_on(date)


def check_pricelist(pricelist: PriceList, *, currency_code: str, date: dt.date) -> None:
    """Refuse a list in another currency than the quotation's, or not valid on its date."""
    if pricelist.currency_code != currency_code:
        raise ValidationError(gettext(
            "The price list “%(name)s” is in %(list)s and the quotation in %(quote)s: choose a price list in "
            "%(quote)s, or make the quotation in %(list)s.", name=pricelist.name, list=pricelist.currency_code,
            quote=currency_code), "pricelist_id")
    if not _usable(pricelist, date):
        raise ValidationError(gettext(
            "The price list “%(name)s” is not in use on %(date)s (archived, or outside its dates): choose another "
            "one, or none to use the products' list prices.", name=pricelist.name, date=date.isoformat()),
            "pricelist_id")


def price_for(session: Session, partner: Partner, product: Product, quantity: Decimal, date: dt.date,
              currency: str, *, pricelist: PriceList | None = None) -> Price:
    """The unit price of ``quantity`` (in the product's unit) of ``product`` for ``partner`` on ``date``.

    ``pricelist`` (a quotation's) replaces the customer's. ValidationError when
    the list is in another currency, or when nothing gives the product a price.
    """
    chosen = pricelist if pricelist is not None else pricelist_of(session, partner, date)
    if chosen is None:
        return _list_price(session, product, date, currency)
    check_pricelist(chosen, currency_code=currency, date=date)
    rule = best_rule(session, chosen, product, Decimal(quantity))
    if rule is None:
        found = _list_price(session, product, date, currency)
        return Price(found.amount, currency, gettext("list “%(name)s”, no rule for this product: list price",
                                                     name=chosen.name), chosen)
    return Price(_apply(session, rule, product, date, currency), currency, explain(rule), chosen, rule)


def _list_price(session: Session, product: Product, date: dt.date, currency: str) -> Price:
    if not product.list_price:
        raise ValidationError(gettext("%(product)s has no list price and no price list rule prices it: enter the "
                                      "unit price, or give the product a list price.",
                                      product=product.display_name), "unit_price")
    return Price(from_company(session, product.company_id, product.list_price, currency, date), currency,
                 gettext("list price"))


def _category_chain(session: Session, product: Product) -> list[int]:
    """The product's category, then its parents up to the root (bounded against a corrupt tree)."""
    chain, node = [], product.category
    while node is not None and len(chain) < 32:
        chain.append(node.id)
        node = session.get(ProductCategory, node.parent_id) if node.parent_id else None
    return chain


def best_rule(session: Session, pricelist: PriceList, product: Product, quantity: Decimal) -> PriceRule | None:
    """The most specific rule of ``pricelist`` whose quantity range holds ``quantity`` (see the module)."""
    chain, products = _category_chain(session, product), priced_as(product)
    rows = session.scalars(select(PriceRule).where(
        PriceRule.pricelist_id == pricelist.id,
        or_(PriceRule.applies_to == ALL_PRODUCTS,
            (PriceRule.applies_to == PRODUCT) & PriceRule.product_id.in_(products),
            (PriceRule.applies_to == CATEGORY) & PriceRule.category_id.in_(chain)),
        PriceRule.min_quantity <= quantity,
        or_(PriceRule.max_quantity.is_(None), PriceRule.max_quantity > quantity))).all()

    def specificity(rule: PriceRule) -> tuple[int, int]:
        if rule.applies_to == PRODUCT:
            return (0, products.index(rule.product_id))
        if rule.applies_to == CATEGORY:
            return (1, chain.index(rule.category_id))
        return (2, 0)

    return min(rows, key=lambda rule: (specificity(rule), rule.id), default=None)


def _apply(session: Session, rule: PriceRule, product: Product, date: dt.date, currency: str) -> Decimal:
    if rule.method == FIXED:
        return rule.fixed_price
    base = product.list_price if rule.method == LIST else product.cost
    if not base:
        message = (gettext("%(product)s has no list price: rule %(rule)s of “%(list)s” is a percentage on it. "
                           "Give the product a list price, or enter the unit price.")
                   if rule.method == LIST else
                   gettext("%(product)s has no cost: rule %(rule)s of “%(list)s” is a percentage on it. "
                           "Give the product a cost, or enter the unit price."))
        raise ValidationError(message % {"product": product.display_name, "rule": rule.id,
                                         "list": rule.pricelist.name}, "unit_price")
    converted = from_company(session, product.company_id, base, currency, date)
    return (converted * (HUNDRED + rule.percent) / HUNDRED).quantize(PLACES, rounding=ROUND_HALF_UP)


def quantity_words(minimum: Decimal, maximum: Decimal | None) -> str | None:
    """"10+ units", "under 50 units", "10 to under 50 units"; None for every quantity."""
    if maximum is not None and minimum:
        return gettext("%(min)s to under %(max)s units", min=number(minimum), max=number(maximum))
    if maximum is not None:
        return gettext("under %(max)s units", max=number(maximum))
    if minimum:
        return gettext("%(min)s+ units", min=number(minimum))
    return None


def _percent_words(percent: Decimal) -> str:
    sign = MINUS if percent < 0 else "+"
    return f"{sign}{number(abs(percent))}%"


def explain(rule: PriceRule) -> str:
    """The rule in words: "list “Distributors 2027”, 10+ units, −12%"."""
    parts = [gettext("list “%(name)s”", name=rule.pricelist.name)]
    if rule.applies_to == CATEGORY:
        parts.append(gettext("category %(name)s", name=rule.category.full_name))
    quantities = quantity_words(rule.min_quantity, rule.max_quantity)
    if quantities:
        parts.append(quantities)
    if rule.method == FIXED:
        parts.append(gettext("fixed price"))
    elif rule.method == LIST:
        parts.append(_percent_words(rule.percent) if rule.percent else gettext("list price"))
    else:
        parts.append(gettext("cost %(percent)s", percent=_percent_words(rule.percent)) if rule.percent
                     else gettext("at cost"))
    return ", ".join(parts)
