"""Demo manufacturing for ``bottega demo``: a workshop making tables (a two-level bill: legs are made from
wood), a garden set sold as a kit, components bought at their costs, and three production orders: one done,
one in progress, one confirmed. Through the services."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from addons.products.services import create_product
from addons.products.units import unit_by_code
from addons.stock.models import ProductStock, Warehouse
from addons.stock.services.transfers import create_transfer, process_transfer

from .services.boms import create_bom
from .services.production import confirm_production, create_production, produce
from .services.workcentres import create_workcentre

D = Decimal
#: code, name, unit, valuation method, (quantity received, unit cost) or None
PRODUCTS = (("MF-TABLE", "Mesa de comedor", "unit", "fifo", None),
            ("MF-LEG", "Pata torneada", "unit", "average", None),
            ("MF-TOP", "Tablero de roble", "unit", "fifo", (20, "48.00")),
            ("MF-WOOD", "Listón de haya", "kg", "average", (200, "3.20")),
            ("MF-SCREW", "Tornillo para madera", "unit", "last", (1000, "0.08")),
            ("MF-VARNISH", "Barniz", "l", "fifo", (40, "12.50")),
            ("MF-CHAIR", "Silla de jardín", "unit", "fifo", (24, "21.00")),
            ("MF-CUSHION", "Cojín", "unit", "fifo", (24, "6.00")),
            ("MF-SET", "Conjunto de jardín", "unit", None, None))


def load(session, company) -> None:
    warehouse = session.scalars(select(Warehouse).where(Warehouse.company_id == company.id)
                                .order_by(Warehouse.id)).first()
    if warehouse is None:
        return
    products = {}
    for code, name, unit, method, _received in PRODUCTS:
        products[code] = create_product(session, company.id, code=code, name=name,
                                        uom_id=unit_by_code(session, unit).id)
        if method:
            session.add(ProductStock(product_id=products[code].id, company_id=company.id, valuation_method=method))
    session.flush()
    received = [{"product_id": products[code].id, "quantity": D(got[0]), "unit_cost": D(got[1])}
                for code, _name, _unit, _method, got in PRODUCTS if got]
    receipt = create_transfer(session, company.id, kind="receipt", warehouse_id=warehouse.id, origin="PO-MF-001",
                              lines=received)
    process_transfer(session, receipt, date=dt.datetime.now() - dt.timedelta(days=12))
    lathe = create_workcentre(session, company.id, code="TORNO", name="Torno", hourly_cost=D("35.00"),
                              setup_minutes=D(20))
    bench = create_workcentre(session, company.id, code="MONTAJE", name="Banco de montaje", hourly_cost=D("28.00"),
                              setup_minutes=D(10), capacity_hours=D(16))
    _bills(session, company.id, products, lathe, bench)
    _orders(session, company.id, warehouse, products)


def _bills(session, company_id: int, products: dict, lathe, bench) -> None:
    def line(code, quantity, **more):
        return {"product_id": products[code].id, "quantity": D(quantity), **more}

    create_bom(session, company_id, product_id=products["MF-LEG"].id, quantity=D(4),
               lines=[line("MF-WOOD", "6", scrap_percent=D(5))],
               operations=[{"name": "Tornear", "workcentre_id": lathe.id, "minutes": D(60)}])
    create_bom(session, company_id, product_id=products["MF-TABLE"].id,
               lines=[line("MF-LEG", 4), line("MF-TOP", 1), line("MF-SCREW", 16),
                      line("MF-VARNISH", "250", uom_id=unit_by_code(session, "ml").id)],
               operations=[{"name": "Montar", "workcentre_id": bench.id, "minutes": D(45)},
                           {"name": "Barnizar", "workcentre_id": bench.id, "minutes": D(30)}])
    create_bom(session, company_id, product_id=products["MF-SET"].id, kind="kit",
               lines=[line("MF-CHAIR", 4), line("MF-CUSHION", 4)])


def _orders(session, company_id: int, warehouse, products: dict) -> None:
    def order(code, quantity, days_ago):
        production = create_production(session, company_id, product_id=products[code].id, quantity=D(quantity),
                                       warehouse_id=warehouse.id, origin="Demo",
                                       scheduled_date=dt.date.today() - dt.timedelta(days=days_ago))
        return confirm_production(session, production)

    legs = order("MF-LEG", 16, 10)
    produce(session, legs, quantity=D(16), date=dt.datetime.now() - dt.timedelta(days=10))
    tables = order("MF-TABLE", 4, 5)
    produce(session, tables, quantity=D(2), date=dt.datetime.now() - dt.timedelta(days=5))
    order("MF-TABLE", 2, 0)
