"""What the products' stock fields say, for many products at once (defaults for products without a row)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from addons.products.models import Product
from core.errors import ValidationError

from ..models import CategoryStock, ProductStock
from ..models.products import FIFO, NONE, SERIAL, STOCKABLE


@dataclass(frozen=True)
class ProductRule:
    name: str
    stock_type: str = STOCKABLE
    tracking: str = NONE
    allow_negative: bool = False
    volume: object = None
    uom_id: int | None = None

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


def refuse(rule: ProductRule, message: str, field: str = "quantity") -> ValidationError:
    """A refusal naming the product."""
    return ValidationError(f"{rule.name}: {message}", field)


def product_rules(session: Session, *, product_ids: Iterable[int]) -> dict[int, ProductRule]:
    """product id -> its :class:`ProductRule`, read with one query (the products the user may read)."""
    ids = set(product_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(Product.id, Product.code, Product.name, Product.uom_id, ProductStock.stock_type, ProductStock.tracking,
               ProductStock.allow_negative, ProductStock.volume)
        .outerjoin(ProductStock, ProductStock.product_id == Product.id).where(Product.id.in_(ids)))
    found = {}
    for product_id, code, name, uom_id, stock_type, tracking, allow_negative, volume in rows:
        found[product_id] = ProductRule(f"[{code}] {name}", uom_id=uom_id) if stock_type is None else ProductRule(
            f"[{code}] {name}", stock_type, tracking, allow_negative, volume, uom_id)
    return found


def valuation_methods(session: Session, *, product_ids: Iterable[int]) -> dict[int, str]:
    """product id -> how it is valued: its own method, else its category's, else FIFO (one query)."""
    rows = session.execute(
        select(Product.id, ProductStock.valuation_method, CategoryStock.valuation_method)
        .outerjoin(ProductStock, ProductStock.product_id == Product.id)
        .outerjoin(CategoryStock, CategoryStock.category_id == Product.category_id)
        .where(Product.id.in_(set(product_ids))))
    return {product_id: own or category or FIFO for product_id, own, category in rows}


def number(value) -> str:
    """A quantity as people write it: no trailing zeros, no exponent."""
    return f"{Decimal(value).normalize():f}"
