"""Choosing a configurable product's values on a quotation line: one select per attribute in a "Variant"
column (``lines-<n>-variant_values-<attribute id>``); the service finds or makes the variant.

A saved line on a variant shows its configurable product and the values chosen, so saving it again, or
changing a value, goes through the same path. variants.js hides the selects the line's product does not offer.
"""
from __future__ import annotations

import json

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import select
from wtforms import Field
from wtforms.utils import unset_value

from addons.products import variants
from addons.products.attributes import Attribute, AttributeValue, OfferedValue
from addons.products.models import Product


def _offers(session) -> tuple[list[tuple[Attribute, list[AttributeValue]]], dict[int, list[int]]]:
    """The attributes with the values active products offer, and which attributes each product offers."""
    rows = session.execute(select(OfferedValue.product_id, AttributeValue).join(OfferedValue.value).join(
        AttributeValue.attribute).join(Product, Product.id == OfferedValue.product_id).where(
        Product.active.is_(True)).order_by(Attribute.sequence, Attribute.id, AttributeValue.sequence,
                                           AttributeValue.id)).all()
    attributes: dict[int, tuple[Attribute, dict[int, AttributeValue]]] = {}
    by_product: dict[int, set[int]] = {}
    for product_id, value in rows:
        attributes.setdefault(value.attribute_id, (value.attribute, {}))[1][value.id] = value
        by_product.setdefault(product_id, set()).add(value.attribute_id)
    return ([(attribute, list(values.values())) for attribute, values in attributes.values()],
            {product_id: sorted(found) for product_id, found in by_product.items()})


class VariantValuesField(Field):
    """The chosen value ids, from one select per attribute."""

    def __init__(self, label=None, validators=None, *, attributes=(), offers=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.attributes, self.offers = attributes, offers or {}

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors, self.data = [], []
        if formdata is None:
            self.raw_data = None
            self.data = [] if data is unset_value or data is None else list(data)
            return
        self.raw_data = [formdata.get(f"{self.name}-{attribute.id}", "") for attribute, _values in self.attributes]
        self.data = [raw for raw in self.raw_data if raw]  # the service refuses what is not an id

    def __call__(self, **kwargs):
        chosen = {str(value) for value in self.data or ()}
        selects = []
        for attribute, values in self.attributes:
            options = [f'<option value="">{escape(attribute.name)}…</option>'] + [
                f'<option value="{value.id}"{" selected" if str(value.id) in chosen else ""}>'
                f'{escape(value.name)}</option>' for value in values]
            selects.append(f'<select name="{self.name}-{attribute.id}" id="{self.name}-{attribute.id}" '
                           f'data-attribute="{attribute.id}" aria-label="{escape(attribute.name)}">'
                           f'{"".join(options)}</select>')
        return Markup(f'<span class="variant-values" data-variant-offers="{escape(json.dumps(self.offers))}">'
                      f'{"".join(selects)}</span>')


def with_variants(line_form, session):
    """``line_form`` plus ``variant_values``; a line on a variant shows its configurable product and values."""
    attributes, offers = _offers(session)

    class VariantLineForm(line_form):
        variant_values = VariantValuesField(_l("Variant"), attributes=attributes, offers=offers)

        def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
            super().process(formdata, obj, data=data, extra_filters=extra_filters, **kwargs)
            product = getattr(obj, "product", None)
            if formdata is None and product is not None and product.template_id is not None:
                self.product_id.data = product.template_id
                self.variant_values.data = [value.id for value in variants.chosen_values(session, product)]

    return VariantLineForm
