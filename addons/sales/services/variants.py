"""Configurable products on a quotation line: the line gives the product and the chosen attribute values
(``variant_values``, value ids); the line is then for the variant (made the first time it is chosen), priced
like any product, its list price being the configurable product's plus the values' extras.

Price list rules on a configurable product apply to each of its variants (``pricing.best_rule``
through ``products.variants.priced_as``), after a rule on the variant itself: a salesperson setting
"T-shirts −10%" means every size and colour, and variants made later must not escape it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import gettext
from sqlalchemy.orm import Session

from addons.products import variants
from addons.products.models import Product
from core.errors import ValidationError

from ..models import LIST, SaleOrder

if TYPE_CHECKING:
    from .pricing import Price


def resolve_line(session: Session, order: SaleOrder, values: dict) -> dict:
    """``values`` with its ``variant_values`` turned into the variant's ``product_id`` (a description that is
    only another variant's name is dropped, so the line takes the new one's)."""
    chosen = values.pop("variant_values", None) or ()
    product = _product(session, values.get("product_id"))
    if product is None or product.company_id != order.company_id:
        if chosen:
            raise ValidationError(gettext("Choose the product the values are for."), "product_id")
        return values  # no product, or one the line refuses itself
    variant = variants.variant_for(session, product, _ids(chosen))
    if values.get("description") and values["description"] in _names(session, product):
        del values["description"]
    return {**values, "product_id": variant.id}


def _product(session: Session, raw) -> Product | None:
    try:
        return session.get(Product, int(raw)) if raw not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _ids(chosen) -> list[int]:
    try:
        return [int(value) for value in chosen]
    except (TypeError, ValueError):
        raise ValidationError(gettext("Choose values from the lists."), variants.VALUES) from None


def _names(session: Session, product: Product) -> set[str]:
    template = product.template or product
    if template.template_id is None and not variants.is_configurable(session, template):
        return set()
    return {template.display_name, *(variant.display_name for variant in variants.variants_of(session, template))}


def explanation(price: Price, product: Product, session: Session) -> str:
    """The price's explanation, and the extras it includes when it was taken from the variant's list price."""
    if price.rule is not None and price.rule.method != LIST:
        return price.explanation
    extras = variants.extras_of(session, product)
    if not extras:
        return price.explanation
    return gettext("%(price)s, with extras %(extras)s", price=price.explanation,
                   extras=", ".join(variants.extra_words(value, extra) for value, extra in extras))
