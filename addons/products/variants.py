"""Configurable products and their variants.

A product that offers attribute values (:class:`.attributes.OfferedValue`)
is configurable: it is sold as one of its variants, one value per attribute
it offers (every required attribute chosen). A variant is an ordinary
product ("T-shirt (M, Red)", code ``TSHIRT-M-RED``), so stock, purchase and
invoicing need nothing new for it.

Variants are made on demand, the first time a combination is chosen
(:func:`variant_for`), not all up front: three attributes of ten values are a
thousand products, most never sold, each cluttering lists, stock counts and
price rules. One variant per combination (``template_id`` + ``variant_key``
is unique), so choosing the same values again gives the same product.

A variant's list price is its configurable product's plus the extras of its
values; it is kept so whenever either changes (:func:`sync_prices`), and so
price lists, invoices and reports read it as any list price.
"""
from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.errors import ValidationError
from core.sessions import system_rows
from core.transaction_cache import cached

from .attributes import Attribute, AttributeValue, OfferedValue, VariantValue
from .models import Product

VALUES = "variant_values"  # the field a refusal about the chosen values names
MINUS = "\u2212"


def offered(session: Session, product: Product) -> list[OfferedValue]:
    """The values ``product`` offers, by attribute then value order."""
    return list(session.scalars(select(OfferedValue).join(OfferedValue.value).join(AttributeValue.attribute).where(
        OfferedValue.product_id == product.id).order_by(
        Attribute.sequence, Attribute.id, AttributeValue.sequence, AttributeValue.id)))


def is_configurable(session: Session, product: Product) -> bool:
    """Whether the product offers attribute values (asked once per transaction: every quotation line asks)."""
    return cached(session, ("products.configurable", product.id), lambda: session.scalar(
        select(OfferedValue.id).where(OfferedValue.product_id == product.id).limit(1)) is not None,
                  depends_on=(OfferedValue,))


def variants_of(session: Session, template: Product) -> list[Product]:
    return list(session.scalars(select(Product).where(Product.template_id == template.id).order_by(Product.id)))


def priced_as(product: Product) -> list[int]:
    """The products whose price rules apply to ``product``, the most specific first: a variant's own, then its
    configurable product's."""
    return [product.id] if product.template_id is None else [product.id, product.template_id]


def chosen_values(session: Session, variant: Product) -> list[AttributeValue]:
    """The values a variant was made of, in its name's order."""
    return list(session.scalars(select(AttributeValue).join(
        VariantValue, VariantValue.value_id == AttributeValue.id).join(AttributeValue.attribute).where(
        VariantValue.product_id == variant.id).order_by(Attribute.sequence, Attribute.id)))


def extras_of(session: Session, variant: Product) -> list[tuple[AttributeValue, Decimal]]:
    """Each value of the variant whose price extra (on its configurable product) is not zero, with the extra."""
    if variant.template_id is None:
        return []
    extras = {row.value_id: row.price_extra for row in offered(session, variant.template)}
    return [(value, extras[value.id]) for value in chosen_values(session, variant) if extras.get(value.id)]


def extra_words(value: AttributeValue, extra: Decimal) -> str:
    """A value and what it adds to the list price: "Red +2", "S −1.5"."""
    return f"{value.name} {'+' if extra >= 0 else MINUS}{abs(extra).normalize():f}"


def _key(values: Iterable[AttributeValue]) -> str:
    return ",".join(str(value_id) for value_id in sorted(value.id for value in values))


def check_combination(session: Session, template: Product, value_ids: Iterable[int]) -> list[AttributeValue]:
    """The chosen values, checked against what ``template`` offers, in name order; refused with the attribute
    named when a value is not offered, two values share an attribute, or a required attribute has none."""
    rows = offered(session, template)
    if not rows:
        raise ValidationError(gettext("%(product)s has no variants: it offers no attribute values.",
                                      product=template.display_name), VALUES)
    by_id = {row.value_id: row.value for row in rows}
    chosen: dict[int, AttributeValue] = {}
    for value_id in dict.fromkeys(value_ids):
        value = by_id.get(value_id) or session.get(AttributeValue, value_id)
        if value is None or value.company_id != template.company_id:
            raise ValidationError(gettext("Choose values offered by %(product)s.",
                                          product=template.display_name), VALUES)
        if value.id not in by_id:
            raise ValidationError(gettext("%(product)s does not come in %(attribute)s “%(value)s”.",
                                          product=template.display_name, attribute=value.attribute.name,
                                          value=value.name), VALUES)
        if value.attribute_id in chosen:
            raise ValidationError(gettext("Choose one %(attribute)s for %(product)s, not both “%(first)s” and "
                                          "“%(second)s”.", attribute=value.attribute.name,
                                          product=template.display_name, first=chosen[value.attribute_id].name,
                                          second=value.name), VALUES)
        chosen[value.attribute_id] = value
    for row in rows:
        attribute = row.value.attribute
        if attribute.required and attribute.id not in chosen:
            raise ValidationError(gettext("Choose the %(attribute)s of %(product)s.", attribute=attribute.name,
                                          product=template.display_name), VALUES)
    order = {row.value_id: index for index, row in enumerate(rows)}
    return sorted(chosen.values(), key=lambda value: order[value.id])


def variant_for(session: Session, product: Product, value_ids: Iterable[int]) -> Product:
    """The variant of ``product`` with the chosen values, made (as the system, on the user's behalf) the first
    time it is chosen. A variant given with no values is itself; a product that is not configurable is refused
    values, and a configurable one is refused without them."""
    value_ids = list(value_ids)
    if product.template_id is not None and not value_ids:
        return product
    template = product.template or product
    if not value_ids and not is_configurable(session, template):
        return template
    values = check_combination(session, template, value_ids)
    key = _key(values)
    found = _existing(session, template, key)
    if found is None:
        try:
            with system_rows(session) as system:
                made = _make_variant(system, system.get(Product, template.id), values, key)
            found = session.get(Product, made)
        except IntegrityError:  # made meanwhile by another transaction
            found = _existing(session, template, key)
            if found is None:
                raise
    if not found.active:
        raise ValidationError(gettext("%(variant)s is archived: restore it to sell it again.",
                                      variant=found.display_name), VALUES)
    return found


def _existing(session: Session, template: Product, key: str) -> Product | None:
    return session.scalar(select(Product).where(Product.template_id == template.id, Product.variant_key == key))


def _make_variant(session: Session, template: Product, values: list[AttributeValue], key: str) -> int:
    from .services import new_product

    extras = {row.value_id: row.price_extra for row in offered(session, template)}
    name = f"{template.name} ({', '.join(value.name for value in values)})"
    with session.begin_nested():
        variant = new_product(
            session, template.company_id, code=_free_code(session, template, values), name=name[:120],
            kind=template.kind, category_id=template.category_id, uom_id=template.uom_id, cost=template.cost,
            description=template.description,
            list_price=_list_price(template, sum((extras[value.id] for value in values), Decimal(0))))
        variant.template_id, variant.variant_key = template.id, key
        session.add(variant)
        session.flush()
        session.add_all(VariantValue(product_id=variant.id, value_id=value.id) for value in values)
        session.flush()
    return variant.id


def _free_code(session: Session, template: Product, values: list[AttributeValue]) -> str:
    """TSHIRT-M-RED, or TSHIRT-M-RED-2 (and on) when a product already has that code; at most 40 characters."""
    base = "-".join([template.code, *(value.code for value in values)])
    taken = set(session.scalars(select(Product.code).where(Product.company_id == template.company_id,
                                                           Product.code.like(f"{base[:34]}%"))))
    code, number = base[:40], 1
    while code in taken:
        number += 1
        suffix = f"-{number}"
        code = base[:40 - len(suffix)] + suffix
    return code


def _list_price(template: Product, extra: Decimal) -> Decimal:
    price = template.list_price + extra
    if price < 0:
        raise ValidationError(gettext("The extras take the list price of %(product)s below zero (%(price)s): "
                                      "lower the discounts of its values.", product=template.display_name,
                                      price=f"{price.normalize():f}"), "price_extra")
    return price


def sync_prices(session: Session, template: Product) -> None:
    """Set each variant's list price to its configurable product's plus its values' extras."""
    extras = {row.value_id: row.price_extra for row in offered(session, template)}
    for variant in variants_of(session, template):
        variant.list_price = _list_price(template, sum(
            (extras.get(value.id, Decimal(0)) for value in chosen_values(session, variant)), Decimal(0)))
    session.flush()
