"""A workshop: a warehouse, products with stock, work centres, and sessions as a manufacturing manager and user."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from addons.manufacturing.services.boms import create_bom
from addons.manufacturing.services.workcentres import create_workcentre
from addons.products.services import create_product
from addons.products.units import unit_by_code
from addons.stock.models import ProductStock
from addons.stock.services.quants import on_hand
from addons.stock.services.setup import create_warehouse, stock_settings, warehouse_locations
from addons.stock.services.transfers import create_transfer, process_transfer

D = Decimal
MANAGER = "manufacturing.group_manager"
USER = "manufacturing.group_user"


@dataclass
class Workshop:
    session: object
    company_id: int

    def __post_init__(self):
        self.warehouse = create_warehouse(self.session, self.company_id, code="TAL", name="Taller")
        self.view, self.stock = warehouse_locations(self.session, self.warehouse)
        self.settings = stock_settings(self.session, self.company_id)

    def unit(self, code: str) -> int:
        return unit_by_code(self.session, code).id

    def product(self, code: str, *, uom: str = "unit", method: str | None = None):
        product = create_product(self.session, self.company_id, code=code, name=f"Product {code}",
                                 uom_id=self.unit(uom))
        if method:
            self.session.add(ProductStock(product_id=product.id, valuation_method=method))
            self.session.flush()
        return product

    def bom(self, product, *components, **values):
        """A bill of ``product``; each component (product, quantity) or a line dict."""
        lines = [line if isinstance(line, dict) else {"product_id": line[0].id, "quantity": D(str(line[1]))}
                 for line in components]
        return create_bom(self.session, self.company_id, product_id=product.id, lines=lines, **values)

    def receive(self, product, quantity, unit_cost):
        receipt = create_transfer(self.session, self.company_id, kind="receipt", warehouse_id=self.warehouse.id,
                                  lines=[{"product_id": product.id, "quantity": D(str(quantity)),
                                          "unit_cost": D(str(unit_cost))}])
        process_transfer(self.session, receipt)

    def on_hand(self, product) -> Decimal:
        return on_hand(self.session, product_ids=[product.id]).get(product.id, (D(0), D(0)))[0]

    def workcentre(self, code: str, *, hourly_cost="60", setup_minutes="0"):
        return create_workcentre(self.session, self.company_id, code=code, name=f"Centre {code}",
                                 hourly_cost=D(hourly_cost), setup_minutes=D(setup_minutes))


@pytest.fixture
def shop(db) -> Workshop:
    user = db.user("jefa", groups=[MANAGER, "stock.group_manager", "products.group_manager"])
    return Workshop(db.as_user(user), db.main_company.id)


@pytest.fixture
def tables(shop):
    """A table of 4 legs (FIFO), a top (moving average) and 8 screws (last purchase price), assembled in 30
    minutes at 60.00 an hour with 15 minutes' setup."""
    leg, top, screw = (shop.product("LEG", method="fifo"), shop.product("TOP", method="average"),
                       shop.product("SCREW", method="last"))
    table = shop.product("TABLE", method="fifo")
    for product, quantity, cost in ((leg, 10, "5"), (leg, 10, "6"), (top, 3, "40"), (top, 3, "50"),
                                    (screw, 100, "0.10"), (screw, 100, "0.20")):
        shop.receive(product, quantity, cost)
    bench = shop.workcentre("BENCH", hourly_cost="60", setup_minutes="15")
    bom = shop.bom(table, (leg, 4), (top, 1), (screw, 8),
                   operations=[{"name": "Assemble", "workcentre_id": bench.id, "minutes": D(30)}])
    return type("Tables", (), {"table": table, "leg": leg, "top": top, "screw": screw, "bom": bom, "bench": bench})
