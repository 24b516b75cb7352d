"""The products UI: generic views over products, their categories and units, saving through the services."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.web.views import Filter, ModelView

from . import configuring, services, units
from .attributes import Attribute, AttributeValue, OfferedValue
from .models import Product, ProductCategory, Uom


class ProductView(ModelView):
    def create(self, session, actor, values):
        return services.create_product(session, actor.company_id, **values)

    def update(self, session, actor, record, values):
        return services.update_product(session, record, **values)


class CategoryView(ModelView):
    def create(self, session, actor, values):
        return services.create_category(session, actor.company_id, **values)

    def update(self, session, actor, record, values):
        return services.update_category(session, record, **values)


class UnitView(ModelView):
    def create(self, session, actor, values):
        return units.create_unit(session, **values)

    def update(self, session, actor, record, values):
        return units.update_unit(session, record, **values)


class AttributeView(ModelView):
    def create(self, session, actor, values):
        return configuring.create_attribute(session, actor.company_id, **values)

    def update(self, session, actor, record, values):
        return configuring.update_attribute(session, record, **values)


class AttributeValueView(ModelView):
    def create(self, session, actor, values):
        return configuring.create_value(session, actor.company_id, **values)

    def update(self, session, actor, record, values):
        return configuring.update_value(session, record, **values)


class OfferedValueView(ModelView):
    """The values a configurable product offers and their extras; the variants' list prices follow."""

    importable = False  # kept through the services, which re-price the variants

    def create(self, session, actor, values):
        return configuring.offer_value(session, actor.company_id, **values)

    def update(self, session, actor, record, values):
        return configuring.update_offered(session, record, **values)

    def delete(self, session, actor, record) -> None:
        configuring.withdraw_value(session, record)


def product_views() -> tuple[ModelView, ...]:
    return (
        ProductView(
            Product, name="product", slug="products", label=_l("Product"), label_plural=_l("Products"),
            search_fields=("code", "name"),
            filters=(
                Filter("archived", _l("Archived"), lambda actor: Product.active.is_(False)),
                Filter("variants", _l("Variants"), lambda actor: Product.template_id.is_not(None)),
            ),
        ),
        CategoryView(ProductCategory, name="category", slug="categories", label=_l("Product category"),
                     label_plural=_l("Product categories")),
        UnitView(Uom, name="unit", slug="units", label=_l("Unit of measure"), label_plural=_l("Units of measure"),
                 search_fields=("code", "name")),
        AttributeView(Attribute, name="attribute", slug="attributes", label=_l("Attribute"),
                      label_plural=_l("Attributes"), default_order="sequence"),
        AttributeValueView(AttributeValue, name="attribute_value", slug="attribute-values",
                           label=_l("Attribute value"), label_plural=_l("Attribute values"),
                           search_fields=("name", "code", "attribute_id.name"), default_order="attribute_id"),
        OfferedValueView(OfferedValue, name="offered_value", slug="variant-prices", label=_l("Offered value"),
                         label_plural=_l("Offered values and price extras"),
                         search_fields=("product_id.name", "value_id.name"), default_order="product_id"),
    )
