"""Buying for the requirements run: where each product is bought, what draft purchase orders already bring, and
the draft purchase orders a confirmed buy proposal becomes.

A product is bought from its preferred supplier (purchase keeps it from the
supplier prices); the lead time is the shortest of that supplier's prices
for it. Draft and sent orders (requests for quotation) are supply the run
counts on their lines' expected dates: stock counts a confirmed order's
receipt itself.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from addons.contacts.models import Partner
from addons.products.models import Product, Uom
from addons.products.units import convert
from addons.purchase.models import DRAFT, SENT, OrderLine, PurchaseOrder, PurchaseProduct, SupplierPrice
from addons.purchase.services.orders import create_order
from addons.purchase_stock.models import OrderDelivery
from core.errors import ValidationError
from core.planning import Source, Supply


def sources(session: Session, company_id: int, product_ids: list[int]) -> dict[int, Source]:
    rows = session.execute(
        select(PurchaseProduct.product_id, PurchaseProduct.preferred_supplier_id, Partner.name,
               func.min(SupplierPrice.lead_time))
        .join(Partner, Partner.id == PurchaseProduct.preferred_supplier_id)
        .outerjoin(SupplierPrice, (SupplierPrice.product_id == PurchaseProduct.product_id)
                   & (SupplierPrice.supplier_id == PurchaseProduct.preferred_supplier_id))
        .where(PurchaseProduct.product_id.in_(product_ids), PurchaseProduct.company_id == company_id)
        .group_by(PurchaseProduct.product_id, PurchaseProduct.preferred_supplier_id, Partner.name)).all()
    return {product_id: Source(supplier_id, name, lead or 0) for product_id, supplier_id, name, lead in rows}


def draft_supply(session: Session, company_id: int, product_ids: list[int]) -> list[Supply]:
    rows = session.execute(
        select(OrderLine.product_id, func.coalesce(OrderLine.expected_date, PurchaseOrder.date_order),
               OrderLine.quantity, OrderLine.uom_id, Product.uom_id)
        .join(PurchaseOrder, PurchaseOrder.id == OrderLine.order_id)
        .join(Product, Product.id == OrderLine.product_id)
        .where(PurchaseOrder.company_id == company_id, PurchaseOrder.state.in_((DRAFT, SENT)),
               OrderLine.product_id.in_(product_ids))).all()
    if not rows:
        return []
    units = {unit.id: unit for unit in session.scalars(select(Uom))}
    return [Supply(product_id, day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)[:10]),
                   convert(Decimal(quantity), units[uom_id], units[own_uom_id]))
            for product_id, day, quantity, uom_id, own_uom_id in rows]


def buy(session: Session, proposals: list) -> list[PurchaseOrder]:
    """Draft purchase orders for the buy ``proposals``: one per (supplier, warehouse), a line per proposal in the
    product's unit, expected on the date needed. A proposal without a supplier is refused, naming it."""
    groups: dict[tuple, list] = defaultdict(list)
    for proposal in proposals:
        if proposal.supplier_id is None:
            raise ValidationError(gettext(
                "%(product)s has no preferred supplier: record a supplier price for it, then run the requirements "
                "again.", product=proposal.product.display_name), "proposal_ids")
        groups[proposal.company_id, proposal.supplier_id, proposal.warehouse_id].append(proposal)
    orders = []
    for (company_id, supplier_id, warehouse_id), found in groups.items():
        order = create_order(session, company_id, partner_id=supplier_id, lines=[
            {"product_id": proposal.product_id, "quantity": proposal.quantity, "uom_id": proposal.product.uom_id,
             "expected_date": proposal.date_needed} for proposal in found])
        session.add(OrderDelivery(order_id=order.id, warehouse_id=warehouse_id))
        session.flush()
        for proposal in found:
            proposal.result = order.display_name
        orders.append(order)
    return orders
