"""A quotation line's cost from purchase: the price the preferred supplier charges for its quantity.

The supplier price that applies on the quotation's date (purchase's
``price_for``: the preferred supplier first) is per purchase unit and in the
supplier's currency; it is brought to the product's unit and the company's
currency as a purchase order does. No price, or no rate to convert it: no
answer, and the product's cost is used.
"""
from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext
from sqlalchemy.orm import Session

from addons.products.models import Product
from addons.products.units import convert
from addons.purchase.services import currency, units
from addons.purchase.services.prices import price_for
from core.errors import ValidationError
from core.sessions import system_rows


def supplier_cost(session: Session, order, line) -> tuple[Decimal, str] | None:
    """(unit cost of the line's product per its own unit, "price of <supplier>"), or None. Read on behalf of
    the salesperson, who need not see supplier prices."""
    with system_rows(session) as system:
        product = system.get(Product, line.product_id)
        size = units.in_purchase_units(system, product, quantity=Decimal(1), unit=product.uom)
        quantity = convert(line.quantity, line.uom or product.uom, product.uom, "uom_id") * size
        choice = price_for(system, product, quantity=quantity, date=order.date_order)
        if choice is None:
            return None
        try:
            cost = currency.convert(system, order.company_id, amount=choice.price * size,
                                    source=choice.currency_code,
                                    target=currency.company_currency(system, order.company_id),
                                    date=order.date_order, field="cost")
        except ValidationError:
            return None
        supplier = choice.row.supplier.name
    return cost, gettext("price of %(supplier)s", supplier=supplier)
