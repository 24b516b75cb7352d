"""Supplier prices: keeping them, and finding the one that applies to a purchase.

Which row applies (:func:`price_for`): among the product's prices (of one
supplier, when given) valid on the date (no start or started, no end or not
ended) whose minimum quantity the quantity reaches, the preferred ones first,
then the lowest sequence, then the highest minimum quantity reached (the
volume tier), then the latest start, then the oldest row. The answer keeps
the row and says in words why it was chosen.

The product's preferred supplier (shown on the product while purchase is
installed) is the supplier of the first of its rows by that order, dates and
quantities aside; it is kept up to date whenever a row changes.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from addons.products.models import Product
from core.errors import ValidationError
from core.fields import clean
from core.sessions import system_rows

from ..models import OrderLine, PurchaseProduct, SupplierPrice

#: the order in which rows that apply are preferred (see the module's docstring)
PRICE_ORDER = (SupplierPrice.preferred.desc(), SupplierPrice.sequence, SupplierPrice.min_quantity.desc(),
               SupplierPrice.date_start.desc(), SupplierPrice.id)


@dataclass(frozen=True)
class PriceChoice:
    """The supplier price row that applies, and why."""

    row: SupplierPrice
    reason: str

    @property
    def price(self) -> Decimal:
        return self.row.price

    @property
    def currency_code(self) -> str:
        return self.row.currency_code


def _check_dates(values: dict, record: SupplierPrice | None = None) -> None:
    start = values.get("date_start", record.date_start if record else None)
    end = values.get("date_end", record.date_end if record else None)
    if start is not None and end is not None and end < start:
        raise ValidationError(gettext("The price is valid until %(end)s, before it starts on %(start)s: "
                                      "the end date must not come before the start date.",
                                      end=end.isoformat(), start=start.isoformat()), "date_end")


def _check_company(session: Session, company_id: int, values: dict) -> None:
    from addons.contacts.models import Partner

    for name, model in (("product_id", Product), ("supplier_id", Partner)):
        if values.get(name) is not None and session.get(model, values[name]).company_id != company_id:
            raise ValidationError(gettext("Choose a record of this company."), name)


def create_supplier_price(session: Session, company_id: int, **values) -> SupplierPrice:
    """A supplier's price for a product; refreshes the product's preferred supplier."""
    values = clean(SupplierPrice, values, session=session)
    _check_dates(values)
    _check_company(session, company_id, values)
    row = SupplierPrice(company_id=company_id, **values)
    session.add(row)
    session.flush()
    refresh_preferred_supplier(session, product_id=row.product_id)
    return row


def update_supplier_price(session: Session, row: SupplierPrice, **values) -> SupplierPrice:
    values = clean(SupplierPrice, values, record=row, session=session)
    _check_dates(values, row)
    _check_company(session, row.company_id, values)
    products = {row.product_id, values.get("product_id", row.product_id)}
    for key, value in values.items():
        setattr(row, key, value)
    session.flush()
    for product_id in products:
        refresh_preferred_supplier(session, product_id=product_id)
    return row


def delete_supplier_price(session: Session, row: SupplierPrice) -> None:
    """Delete a price; the order lines it priced keep their price and forget the row (each change audited)."""
    product_id = row.product_id
    for line in session.scalars(select(OrderLine).where(OrderLine.supplier_price_id == row.id)):
        line.supplier_price_id = None
    session.delete(row)
    session.flush()
    refresh_preferred_supplier(session, product_id=product_id)


def refresh_preferred_supplier(session: Session, *, product_id: int) -> None:
    """Write the product's preferred supplier (the first of its rows by :data:`PRICE_ORDER`)."""
    with system_rows(session) as system:
        supplier_id = system.scalar(select(SupplierPrice.supplier_id).where(SupplierPrice.product_id == product_id)
                                    .order_by(*PRICE_ORDER).limit(1))
        side = product_side(system, product_id=product_id)
        side.preferred_supplier_id = supplier_id
    forget_sides(session, product_ids=[product_id])


def forget_sides(session: Session, *, product_ids) -> None:
    """Expire the products' purchase rows ``session`` holds, after a system session wrote them."""
    for product_id in product_ids:
        held = session.identity_map.get(session.identity_key(PurchaseProduct, product_id))
        if held is not None:
            session.expire(held)


def product_side(session: Session, *, product_id: int) -> PurchaseProduct:
    """The product's purchase row, created on first use (``session`` must be allowed to write it)."""
    side = session.get(PurchaseProduct, product_id)
    if side is None:
        side = PurchaseProduct(product_id=product_id, company_id=session.get(Product, product_id).company_id)
        session.add(side)
        session.flush()
    return side


def price_for(session: Session, product: Product, *, quantity: Decimal, date: dt.date,
              supplier_id: int | None = None) -> PriceChoice | None:
    """The supplier price that applies to buying ``quantity`` of ``product`` on ``date``; None when none does."""
    query = select(SupplierPrice).where(
        SupplierPrice.product_id == product.id,
        or_(SupplierPrice.date_start.is_(None), SupplierPrice.date_start <= date),
        or_(SupplierPrice.date_end.is_(None), SupplierPrice.date_end >= date),
        SupplierPrice.min_quantity <= quantity,
    )
    if supplier_id is not None:
        query = query.where(SupplierPrice.supplier_id == supplier_id)
    row = session.scalar(query.order_by(*PRICE_ORDER).limit(1))
    if row is None:
        return None
    return PriceChoice(row, _reason(row, quantity, date))


def _reason(row: SupplierPrice, quantity: Decimal, date: dt.date) -> str:
    valid = (gettext("valid from %(start)s to %(end)s", start=row.date_start.isoformat(),
                     end=row.date_end.isoformat()) if row.date_start and row.date_end
             else gettext("valid from %(start)s", start=row.date_start.isoformat()) if row.date_start
             else gettext("valid until %(end)s", end=row.date_end.isoformat()) if row.date_end
             else gettext("without dates"))
    return gettext(
        "Supplier price %(id)s of %(supplier)s: %(price)s %(currency)s from %(minimum)s units (%(quantity)s "
        "ordered), %(valid)s on %(date)s, sequence %(sequence)s%(preferred)s.",
        id=row.id, supplier=row.supplier.name, price=f"{row.price.normalize():f}", currency=row.currency_code,
        minimum=f"{row.min_quantity.normalize():f}", quantity=f"{Decimal(quantity).normalize():f}", valid=valid,
        date=date.isoformat(), sequence=row.sequence,
        preferred=gettext(", preferred") if row.preferred else "")
