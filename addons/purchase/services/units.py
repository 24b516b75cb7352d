"""Units in purchase: a product's purchase unit, and what an order line's unit does to quantities and prices.

A product is bought in its purchase unit (set on the product while purchase
is installed; empty: the product's own unit). Supplier prices count in that
unit. An order line may use any unit of the same category (a box of 12
instead of units): its quantity is compared with the prices' minimum
quantities in the purchase unit, and its unit price is the supplier's price
times the line unit's size in purchase units. A unit of another category
has no conversion and is refused.
"""
from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from addons.products.models import Product, Uom
from addons.products.units import convert
from core.errors import ValidationError

from ..models import PurchaseProduct


def purchase_unit(session: Session, product: Product) -> Uom:
    side = session.get(PurchaseProduct, product.id)
    return side.purchase_uom if side is not None and side.purchase_uom is not None else product.uom


def in_purchase_units(session: Session, product: Product, *, quantity: Decimal, unit: Uom,
                      field: str = "uom_id") -> Decimal:
    """``quantity`` of ``unit`` counted in the product's purchase unit; refused across categories."""
    return convert(quantity, unit, purchase_unit(session, product), field)


def complete_product_rows(session: Session, rows: list[PurchaseProduct]) -> None:
    """Before a flush: a purchase unit must measure as its product's unit does (the core gives the row its
    product's company: :func:`core.fields.extensions.complete_side_companies`).

    Whatever writes the row (the product form, an import, the services) is held to this.
    """
    if not rows:
        return
    connection = session.connection()
    products = {found.id: found for found in connection.execute(
        select(Product.id, Uom.category_id).join(Uom, Uom.id == Product.uom_id)
        .where(Product.id.in_({row.product_id for row in rows})))}
    units = {found.id: found for found in connection.execute(
        select(Uom.id, Uom.category_id, Uom.name).where(Uom.id.in_(
            {row.purchase_uom_id for row in rows if row.purchase_uom_id is not None})))}
    for row in rows:
        product = products.get(row.product_id)
        if product is None:
            continue  # no such product: the foreign key refuses the row
        unit = units.get(row.purchase_uom_id)
        if unit is not None and unit.category_id != product.category_id:
            raise ValidationError(gettext(
                "%(unit)s does not measure what the product's unit measures: choose a purchase unit of the same "
                "kind.", unit=unit.name), "purchase_uom_id")
