"""What the products' stock fields say, for many products at once (defaults for products without a row)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from addons.products.models import Product

from ..models import ProductStock
from ..models.products import NONE, SERIAL, STOCKABLE


@dataclass(frozen=True)
class ProductRule:
    name: str
    stock_type: str = STOCKABLE
    tracking: str = NONE
    allow_negative: bool = False
    volume: object = None

    @property
    def followed(self) -> bool:
        """Whether its stock on hand is followed (reserved, never negative unless allowed)."""
        return self.stock_type == STOCKABLE

    @property
    def tracked(self) -> bool:
        return self.tracking != NONE

    @property
    def serial(self) -> bool:
        return self.tracking == SERIAL


def product_rules(session: Session, product_ids: Iterable[int]) -> dict[int, ProductRule]:
    """product id -> its :class:`ProductRule`, read with one query (the products the user may read)."""
    ids = set(product_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(Product.id, Product.code, Product.name, ProductStock.stock_type, ProductStock.tracking,
               ProductStock.allow_negative, ProductStock.volume)
        .outerjoin(ProductStock, ProductStock.product_id == Product.id).where(Product.id.in_(ids)))
    found = {}
    for product_id, code, name, stock_type, tracking, allow_negative, volume in rows:
        rule = ProductRule(f"[{code}] {name}")
        if stock_type is not None:
            rule = ProductRule(rule.name, stock_type, tracking, allow_negative, volume)
        found[product_id] = rule
    return found


def number(value) -> str:
    """A quantity as people write it: no trailing zeros, no exponent."""
    return f"{Decimal(value).normalize():f}"
