"""Demo stock for ``bottega demo``: a Spanish and an Italian warehouse, the demo products' stock fields, and a
few weeks of moves: receipts, a transfer between the warehouses and deliveries done on their days (oldest
first, so the valuation never replays), one delivery waiting today. Through the services."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from addons.products.models import Product, ProductCategory
from addons.products.units import unit_by_code

from .models import CategoryStock, ProductStock
from .services.lots import create_lot
from .services.setup import create_warehouse, warehouse_locations
from .services.transfers import confirm_transfer, create_transfer, process_transfer

WAREHOUSES = (("MAD", "Almacén Madrid"), ("MIL", "Magazzino Milano"))
STOCK_FIELDS = {  # product code: its stock fields
    "TORN-M6": {"barcode": "8412345000016", "weight": Decimal("0.6"), "volume": Decimal("0.0008")},
    "TALADRO-18V": {"barcode": "8412345000023", "tracking": "serial", "valuation_method": "standard",
                    "weight": Decimal("1.8")},
    "PINT-BL-5L": {"barcode": "8412345000030", "tracking": "lot", "valuation_method": "average",
                   "weight": Decimal("6.5"), "volume": Decimal("0.005")},
    "PINT-GR-L": {"stock_type": "consumable"},
    "ETIQ-001": {"stock_type": "consumable", "allow_negative": True},
}
CATEGORY_METHODS = {"Tornillería": "fifo", "Pinturas": "average"}
#: how many days ago each demo transfer was done, in the order they are made
DAYS_AGO = {"receipt": 26, "paint": 22, "to_milan": 17, "Pedido Ferretería Ibérica": 10,
            "Ordine Rossi Arredamenti": 4}


def load(session, company) -> None:
    products = {p.code: p for p in session.scalars(select(Product).where(Product.company_id == company.id))}
    if not products:
        return
    for code, values in STOCK_FIELDS.items():
        if code in products:
            session.add(ProductStock(product_id=products[code].id, company_id=company.id, **values))
    for category in session.scalars(select(ProductCategory).where(ProductCategory.company_id == company.id,
                                                                  ProductCategory.name.in_(CATEGORY_METHODS))):
        session.add(CategoryStock(category_id=category.id, company_id=company.id,
                                  valuation_method=CATEGORY_METHODS[category.name]))
    session.flush()
    madrid, milano = (create_warehouse(session, company.id, code=code, name=name) for code, name in WAREHOUSES)
    _moves(session, company.id, products, madrid, milano)


def _moves(session, company_id: int, products: dict, madrid, milano) -> None:
    screws, drill, paint = (products.get(code) for code in ("TORN-M6", "TALADRO-18V", "PINT-BL-5L"))
    if not (screws and drill and paint):
        return
    paint_lot = create_lot(session, company_id, product_id=paint.id, name="PB-2611",
                           expiry_date=dt.date.today() + dt.timedelta(days=540))
    serials = [create_lot(session, company_id, product_id=drill.id, name=f"TP18-{n:04d}") for n in range(1, 6)]
    box = unit_by_code(session, "box12").id
    receipt = _transfer(session, company_id, madrid, "receipt", "PO-2026-0041", [
        {"product_id": screws.id, "quantity": Decimal(20), "uom_id": box},
        *({"product_id": drill.id, "quantity": Decimal(1), "lot_id": serial.id} for serial in serials)],
        days_ago=DAYS_AGO["receipt"])
    _done(session, receipt)
    paint_in = _transfer(session, company_id, madrid, "receipt", "PO-2026-0044",
                         [{"product_id": paint.id, "quantity": Decimal(60), "lot_id": paint_lot.id}],
                         days_ago=DAYS_AGO["paint"])
    _done(session, paint_in)
    _view, milan_stock = warehouse_locations(session, milano)
    to_milan = _transfer(session, company_id, madrid, "internal", "Rifornimento Milano",
                         [{"product_id": screws.id, "quantity": Decimal(60)}], dest_location_id=milan_stock.id,
                         days_ago=DAYS_AGO["to_milan"])
    _done(session, to_milan)
    for origin, lines in (("Pedido Ferretería Ibérica", [(screws, 48), (paint, 12)]),
                          ("Ordine Rossi Arredamenti", [(drill, 2)])):
        delivery = _transfer(session, company_id, madrid, "delivery", origin,
                             [{"product_id": product.id, "quantity": Decimal(quantity)} for product, quantity in lines],
                             days_ago=DAYS_AGO[origin])
        _done(session, delivery)
    waiting = _transfer(session, company_id, madrid, "delivery", "Pedido Panadería del Sol",
                        [{"product_id": paint.id, "quantity": Decimal(80)}])
    confirm_transfer(session, waiting)


def _transfer(session, company_id: int, warehouse, kind: str, origin: str, lines: list[dict], days_ago: int = 0,
              **values):
    transfer = create_transfer(session, company_id, kind=kind, warehouse_id=warehouse.id, origin=origin, lines=lines,
                               scheduled_date=dt.date.today() - dt.timedelta(days=days_ago), **values)
    confirm_transfer(session, transfer)
    return transfer


def _done(session, transfer) -> None:
    """Process ``transfer`` in the morning of the day it was scheduled."""
    process_transfer(session, transfer, date=dt.datetime.combine(transfer.scheduled_date, dt.time(9, 30)))
