"""The products UI: generic views over products, their categories and units, saving through the services."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.web.views import Filter, ModelView

from . import services, units
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


def product_views() -> tuple[ModelView, ...]:
    return (
        ProductView(
            Product, name="product", slug="products", label=_l("Product"), label_plural=_l("Products"),
            search_fields=("code", "name"),
            filters=(
                Filter("archived", _l("Archived"), lambda actor: Product.active.is_(False)),
            ),
        ),
        CategoryView(ProductCategory, name="category", slug="categories", label=_l("Product category"),
                     label_plural=_l("Product categories")),
        UnitView(Uom, name="unit", slug="units", label=_l("Unit of measure"), label_plural=_l("Units of measure"),
                 search_fields=("code", "name")),
    )
