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
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from addons.contacts.models import Partner, Tag
from addons.products.models import Product, ProductCategory
from addons.products.variants import priced_as
from core.errors import ValidationError
from core.transaction_cache import cached

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
    return next((found for found in _candidate_lists(session, partner) if _usable(found, date)), None)


def _candidate_lists(session: Session, partner: Partner) -> Iterator[PriceList]:
    """The lists that may be the customer's, in the order :func:`pricelist_of` tries them (the tags' are only
    read when the customer's own lists were not enough)."""
    customers = [partner, *([partner.parent] if partner.parent is not None else [])]
    for customer in customers:
        side = _sales_side(session, customer.id)
        if side is not None and side.pricelist is not None:
            yield side.pricelist
    tag_ids = [tag.id for customer in customers for tag in customer.tags]
    if tag_ids:
        yield from session.scalars(select(PriceList).join(PriceList.tags).where(
            PriceList.active.is_(True), Tag.id.in_(tag_ids)).order_by(PriceList.id)).unique()


def _sales_side(session: Session, partner_id: int) -> SalesPartner | None:
    """The customer's sales settings, read once per transaction: a quotation prices each line for the same
    customer, and ``session.get`` asks the database again for a customer with none."""
    return cached(session, ("sales.partner", partner_id), lambda: session.get(SalesPartner, partner_id),
                  depends_on=(SalesPartner,))


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
    return _by_rule(session, chosen, best_rule(session, chosen, product, Decimal(quantity)), product, date, currency)


@dataclass(frozen=True)
class Lookup:
    """One question for :func:`prices_for`: ``quantity`` (in the product's unit) of ``product`` for ``partner``."""

    partner: Partner
    product: Product
    quantity: Decimal
    date: dt.date


def prices_for(session: Session, lookups: Sequence[Lookup], currency: str, *,
               pricelist: PriceList | None = None) -> list[Price]:
    """:func:`price_for` for many lookups at once, in their order: the same prices, explanations and refusals.

    The rules that may apply are read per list for up to :data:`CHUNK`
    products at a time (three queries), not per lookup; then each lookup
    picks its rule as :func:`best_rule` would.
    """
    candidates: dict[int, list[PriceList]] = {}  # per customer (held here: the session forgets unused rows)
    by_list: dict[PriceList | None, list[int]] = defaultdict(list)
    for index, lookup in enumerate(lookups):
        chosen = pricelist
        if chosen is None:
            if lookup.partner.id not in candidates:
                candidates[lookup.partner.id] = list(_candidate_lists(session, lookup.partner))
            chosen = next((found for found in candidates[lookup.partner.id] if _usable(found, lookup.date)), None)
        by_list[chosen].append(index)
    prices: list[Price | None] = [None] * len(lookups)
    for chosen, indexes in by_list.items():
        for date in {lookups[index].date for index in indexes} if chosen is not None else ():
            check_pricelist(chosen, currency_code=currency, date=date)
        for start in range(0, len(indexes), CHUNK):
            chunk = indexes[start:start + CHUNK]
            rules = _Rules.of(session, chosen, [lookups[index].product for index in chunk]) if chosen else None
            for index in chunk:
                lookup = lookups[index]
                if chosen is None:
                    prices[index] = _list_price(session, lookup.product, lookup.date, currency)
                    continue
                rule = rules.best(lookup.product, Decimal(lookup.quantity))
                prices[index] = _by_rule(session, chosen, rule, lookup.product, lookup.date, currency)
    return prices


#: products whose rules :func:`prices_for` reads in one go
CHUNK = 500


@dataclass
class _Rules:
    """A list's rules for some products, their categories and all products, by what they apply to."""

    chains: dict[int, list[int]]
    priced: dict[int, list[int]]
    own: dict[int, list[PriceRule]]
    by_category: dict[int, list[PriceRule]]
    general: list[PriceRule]

    @classmethod
    def of(cls, session: Session, pricelist: PriceList, products: list[Product]) -> _Rules:
        chains = {product.id: _category_chain(session, product) for product in products}
        priced = {product.id: priced_as(product) for product in products}
        categories = {category for chain in chains.values() for category in chain}
        rules = select(PriceRule).where(PriceRule.pricelist_id == pricelist.id).order_by(PriceRule.id)
        own, by_category = defaultdict(list), defaultdict(list)
        for rule in session.scalars(rules.where(PriceRule.applies_to == PRODUCT,
                                                PriceRule.product_id.in_(sorted({
                                                    one for ids in priced.values() for one in ids})))):
            own[rule.product_id].append(rule)
        if categories:
            for rule in session.scalars(rules.where(PriceRule.applies_to == CATEGORY, PriceRule.product_id.is_(None),
                                                    PriceRule.category_id.in_(sorted(categories)))):
                by_category[rule.category_id].append(rule)
        general = session.scalars(rules.where(PriceRule.applies_to == ALL_PRODUCTS, PriceRule.product_id.is_(None),
                                              PriceRule.category_id.is_(None))).all()
        return cls(chains, priced, own, by_category, list(general))

    def best(self, product: Product, quantity: Decimal) -> PriceRule | None:
        """The rule :func:`best_rule` finds: the product's (a variant's, then its configurable product's), else
        the nearest category's, else all products'."""
        for candidates in (*(self.own.get(one, ()) for one in self.priced[product.id]),
                           *(self.by_category.get(category, ()) for category in self.chains[product.id]),
                           self.general):
            found = next((rule for rule in candidates if _holds(rule, quantity)), None)
            if found is not None:
                return found
        return None


def _holds(rule: PriceRule, quantity: Decimal) -> bool:
    return rule.min_quantity <= quantity and (rule.max_quantity is None or rule.max_quantity > quantity)


def _by_rule(session: Session, chosen: PriceList, rule: PriceRule | None, product: Product, date: dt.date,
             currency: str) -> Price:
    """The price ``rule`` of list ``chosen`` gives (the list price, so explained, when no rule applies)."""
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
    """The most specific rule of ``pricelist`` whose quantity range holds ``quantity`` (see the module).

    One query per level, most specific first, each an equality prefix of
    ``ix_sales_pricelist_rule_lookup``: a lookup reads the few rules that may
    apply, however long the list (a single query OR-ing the three levels
    leaves the planner free to read the whole list, or the whole company).
    """
    rules = select(PriceRule).where(
        PriceRule.pricelist_id == pricelist.id, PriceRule.min_quantity <= quantity,
        or_(PriceRule.max_quantity.is_(None), PriceRule.max_quantity > quantity)).order_by(PriceRule.id)
    products = priced_as(product)
    own = session.scalars(rules.where(PriceRule.applies_to == PRODUCT, PriceRule.product_id.in_(products))).all()
    if own:
        return min(own, key=lambda rule: products.index(rule.product_id))
    chain = _category_chain(session, product)
    if chain:
        by_category = session.scalars(rules.where(PriceRule.applies_to == CATEGORY, PriceRule.product_id.is_(None),
                                                  PriceRule.category_id.in_(chain))).all()
        if by_category:
            return min(by_category, key=lambda rule: chain.index(rule.category_id))
    return session.scalars(rules.where(PriceRule.applies_to == ALL_PRODUCTS, PriceRule.product_id.is_(None),
                                       PriceRule.category_id.is_(None))).first()


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
