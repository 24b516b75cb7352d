"""Demo for ``bottega demo``: the percussion drill is bought to order, so the quotation that sells it says who
it will be bought from, and confirming it asks that supplier (joining the open draft request the purchase demo
has for it)."""
from __future__ import annotations

from sqlalchemy import select

from addons.products.models import Product

from .models import ProductBuyToOrder

BOUGHT_TO_ORDER = ("TALADRO-18V",)


def load(session, company) -> None:
    session.add_all(ProductBuyToOrder(product_id=product_id, company_id=company.id, buy_to_order=True)
                    for product_id in session.scalars(select(Product.id).where(
                        Product.company_id == company.id, Product.code.in_(BOUGHT_TO_ORDER))))
