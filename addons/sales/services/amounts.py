"""A quotation's amounts and margins.

Lines and totals are computed by accounting's tax service (the same
arithmetic and rounding setting as invoices), in the order's currency.
Optional lines, section titles and notes count in neither the totals nor the
margin. A line's margin is its untaxed amount less its cost (quantity × unit
cost); the unit cost comes from the ``sales_line_cost`` hook when a bridge
answers it, else from the product's cost field.
"""
from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext
from sqlalchemy.orm import Session

from addons.accounting.services.books import company_settings
from addons.accounting.services.currency import decimals, round_amount
from addons.accounting.services.taxes import Totals, compute_line, compute_totals
from addons.products.units import convert

from ..models import SaleOrder, SaleOrderLine
from .currency import PLACES, from_company

ZERO = Decimal(0)


def line_cost(session: Session, order: SaleOrder, line: SaleOrderLine) -> tuple[Decimal, str]:
    """The unit cost of the line's product (per the product's unit, company currency) and its source."""
    registry = session.info.get("registry")
    answer = (registry.hook.sales_line_cost(session=session, order=order, line=line) if registry is not None
              else None)
    if answer is not None:
        return Decimal(answer[0]), str(answer[1])
    return line.product.cost, gettext("product cost")


def set_cost(session: Session, order: SaleOrder, line: SaleOrderLine) -> None:
    """Write the line's unit cost (per its unit, in the order's currency) and where it comes from."""
    if line.product is None:
        line.cost, line.cost_source = ZERO, None
        return
    cost, source = line_cost(session, order, line)
    per_line_unit = cost * convert(Decimal(1), line.uom, line.product.uom, "uom_id")
    line.cost = from_company(session, order.company_id, per_line_unit, order.currency_code,
                             order.date_order).quantize(PLACES)
    line.cost_source = source[:64]


def compute(session: Session, order: SaleOrder) -> Totals:
    """The lines' subtotal, taxes, total and margin, and the order's totals and margin; returns the totals per
    tax too (a quotation stores only its totals)."""
    places = decimals(session, order.currency_code)
    rounding = company_settings(session, order.company_id).tax_rounding
    counted, margin = [], ZERO
    for line in order.lines:
        if not line.is_priced:
            line.subtotal = line.tax_amount = line.total = line.margin = ZERO
            continue
        amounts = compute_line(line.quantity, line.unit_price, line.discount, line.taxes, places, rounding)
        line.subtotal, line.total = amounts.base, amounts.total
        line.tax_amount = amounts.total - amounts.base
        line.margin = round_amount(amounts.base - line.cost * line.quantity, places)
        if not line.optional:
            counted.append(amounts)
            margin += line.margin
    totals = compute_totals(counted, places, rounding)
    order.amount_untaxed, order.amount_tax, order.amount_total = totals.untaxed, totals.tax, totals.total
    order.margin = margin
    return totals
