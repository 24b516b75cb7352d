"""A shop to move stock in: a warehouse, products, and sessions as a stock user and manager."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from sqlalchemy import select

from addons.products.services import create_product
from addons.stock.models import ProductStock, Quant, StockMove
from addons.stock.services.quants import on_hand
from addons.stock.services.setup import create_warehouse, stock_settings, warehouse_locations
from addons.stock.services.transfers import create_transfer


@dataclass
class Shop:
    db: object
    session: object
    company_id: int

    def __post_init__(self):
        self.warehouse = create_warehouse(self.session, self.company_id, code="MAD", name="Madrid")
        self.view, self.stock = warehouse_locations(self.session, self.warehouse)
        self.settings = stock_settings(self.session, self.company_id)

    def product(self, code: str, **stock) -> int:
        product = create_product(self.session, self.company_id, code=code, name=f"Product {code}")
        if stock:
            self.session.add(ProductStock(product_id=product.id, **stock))
            self.session.flush()
        return product.id

    def transfer(self, kind: str, *lines, **values):
        """A draft transfer; each line a dict, or (product id, quantity)."""
        rows = [line if isinstance(line, dict) else {"product_id": line[0], "quantity": Decimal(str(line[1]))}
                for line in lines]
        return create_transfer(self.session, self.company_id, kind=kind, warehouse_id=self.warehouse.id, lines=rows,
                               **values)

    def on_hand(self, product_id: int, location_id: int | None = None) -> tuple[Decimal, Decimal]:
        found = on_hand(self.session, product_ids=[product_id],
                        location_ids=None if location_id is None else [location_id])
        return found.get(product_id, (Decimal(0), Decimal(0)))

    def quants(self, product_id: int) -> list[tuple]:
        return self.session.execute(select(Quant.location_id, Quant.lot_id, Quant.quantity, Quant.reserved)
                                    .where(Quant.product_id == product_id, Quant.quantity != 0)
                                    .order_by(Quant.location_id, Quant.lot_key)).all()

    def moves(self, transfer) -> list[tuple]:
        return self.session.execute(select(StockMove.quantity, StockMove.reserved, StockMove.state, StockMove.lot_id)
                                    .where(StockMove.transfer_id == transfer.id).order_by(StockMove.id)).all()


@pytest.fixture
def shop(db) -> Shop:
    return Shop(db, db.as_user(db.user("jefe", groups=["stock.group_manager", "products.group_manager"])),
                db.main_company.id)
