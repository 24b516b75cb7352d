"""What a product's page shows of its variants: the values a configurable product offers (with their price
extras, linked to their list), or, on a variant, what it was made of."""
from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from core.web.panels import Panel

from . import variants
from .models import Product


def variant_panels(session, product: Product) -> tuple[Panel, ...]:
    if product.template_id is not None:
        lines = [(gettext("Variant of"), product.template.display_name)]
        extras = dict((value.id, extra) for value, extra in variants.extras_of(session, product))
        lines += [(value.attribute.name, variants.extra_words(value, extras[value.id]) if value.id in extras
                   else value.name) for value in variants.chosen_values(session, product)]
        return (Panel(title=_l("Variant"), lines=tuple(lines), endpoint="products.product_view",
                      endpoint_args=(("record_id", product.template_id),), link_label=_l("Open the product")),)
    rows = variants.offered(session, product)
    if not rows:
        return ()
    by_attribute: dict[str, list[str]] = {}
    for row in rows:
        by_attribute.setdefault(row.value.attribute.name, []).append(
            variants.extra_words(row.value, row.price_extra) if row.price_extra else row.value.name)
    made = session.scalar(select(func.count(Product.id)).where(Product.template_id == product.id))
    lines = (*((name, ", ".join(names)) for name, names in by_attribute.items()),
             (gettext("Variants made so far"), str(made)))
    return (Panel(title=_l("Configurable: sold as variants"), lines=lines, endpoint="products.offered_value_list",
                  endpoint_args=(("by.product_id", product.id),), link_label=_l("Change the values and extras")),)
