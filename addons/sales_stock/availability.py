"""Under each quotation line of a stockable product: what is on hand, what is forecast when the quotation
is due (its validity date, else its date), and a warning when the quantity quoted will not be there; and,
quotation or order, the warehouse its goods leave from when the line names one.

The figures are those of the line's own warehouse, else the order's "Deliver
from", else the whole company's.

Only while it is a quotation: once confirmed, its delivery reserves the goods
(and is in the forecast), and the order's page shows that delivery instead.

The quantities of a product's lines add up (optional lines are offered apart:
each counts on top of the others). Read on behalf of the user, who need not
see stock: only the quotation's company's figures are shown.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from addons.products.units import convert
from addons.sales.models import EDITABLE
from addons.stock.models import Warehouse
from addons.stock.reports.availability import availability
from addons.stock.services.rules import number
from addons.stock.valuation import store
from core.sessions import system_rows
from core.web.panels import LineNote

from .deliveries import line_warehouses
from .models import SaleWarehouse


def availability_notes(session: Session, order) -> list[LineNote]:
    lines = [line for line in order.lines if line.is_priced and line.product is not None]
    if not lines:
        return []
    with system_rows(session) as system:
        own = line_warehouses(system, [order.id])
        names = {warehouse.id: warehouse.display_name for warehouse in system.scalars(
            select(Warehouse).where(Warehouse.id.in_(set(own.values()))))}
        notes = [LineNote(line.id, gettext("Leaves from %(warehouse)s.", warehouse=names[own[line.id]]))
                 for line in lines if line.id in own]
        if order.state in EDITABLE:
            notes += _availability(system, order, lines, own)
    return notes


def _availability(session: Session, order, lines: list, own: dict[int, int]) -> list[LineNote]:
    date = order.validity_date or order.date_order
    settings = store.product_settings(session, [line.product_id for line in lines])
    lines = [line for line in lines if settings[line.product_id].valued]
    side = session.get(SaleWarehouse, order.id)
    default = side.warehouse_id if side is not None else None
    where = {line.id: own.get(line.id, default) for line in lines}
    found = {warehouse_id: availability(session, order.company_id, date=date, warehouse_id=warehouse_id,
                                        product_ids=[line.product_id for line in lines if where[line.id] == warehouse_id])
             for warehouse_id in set(where.values())}
    wanted = defaultdict(Decimal)
    for line in lines:
        if not line.optional:
            wanted[where[line.id], line.product_id] += _in_product_unit(line)
    return [_note(line, found[where[line.id]][line.product_id], wanted[where[line.id], line.product_id] + (
        _in_product_unit(line) if line.optional else 0), date) for line in lines]


def _in_product_unit(line) -> Decimal:
    return convert(line.quantity, line.uom or line.product.uom, line.product.uom, "uom_id")


def _note(line, figures, wanted: Decimal, date) -> LineNote:
    values = {"on_hand": number(figures.on_hand), "forecast": number(figures.forecast),
              "wanted": number(wanted), "unit": line.product.uom.display_name, "date": date.isoformat()}
    if figures.forecast < wanted:
        text = gettext("Not available in time: %(forecast)s %(unit)s forecast on %(date)s for %(wanted)s quoted "
                       "(%(on_hand)s on hand).", **values)
        return LineNote(line.id, text, warning=True)
    return LineNote(line.id, gettext("%(on_hand)s %(unit)s on hand, %(forecast)s forecast on %(date)s.", **values))
