"""The products UI: generic views over products, saving through the services."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.web.views import Filter, ModelView

from . import services
from .models import Product


class ProductView(ModelView):
    def create(self, session, actor, values):
        return services.create_product(session, actor.company_id, **values)

    def update(self, session, actor, record, values):
        return services.update_product(session, record, **values)


def product_view() -> ProductView:
    return ProductView(
        Product, name="product", slug="products", label=_l("Product"), label_plural=_l("Products"),
        search_fields=("code", "name"),
        filters=(
            Filter("archived", _l("Archived"), lambda actor: Product.active.is_(False)),
        ),
    )
