"""A user limited to some warehouses sees and processes only their transfers and moves; others work everywhere."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from addons.stock.models import StockMove, Transfer, Warehouse
from addons.stock.services.setup import create_warehouse
from addons.stock.services.transfers import confirm_transfer, create_transfer, process_transfer
from core.errors import AccessDenied
from core.models import User


def test_a_user_limited_to_milan_sees_and_moves_only_milan_s_transfers(db, shop):
    screw = shop.product("TORN")
    milan = create_warehouse(shop.session, shop.company_id, code="MIL", name="Milano")
    madrid_receipt = shop.transfer("receipt", (screw, 5))
    milan_receipt = create_transfer(shop.session, shop.company_id, kind="receipt", warehouse_id=milan.id,
                                    lines=[{"product_id": screw, "quantity": Decimal(3)}])
    shop.session.commit()
    limited = db.user("magazziniere", groups=["stock.group_user"])
    everywhere = db.user("mozo", groups=["stock.group_user"])
    system = db.system()
    system.get(Warehouse, milan.id).users = [system.get(User, limited.id)]
    system.commit()

    clerk = db.as_user(limited)
    assert clerk.scalars(select(Transfer.name).order_by(Transfer.id)).all() == [milan_receipt.name]
    assert {move.transfer_id for move in clerk.scalars(select(StockMove))} == {milan_receipt.id}
    process_transfer(clerk, clerk.get(Transfer, milan_receipt.id))
    assert clerk.get(Transfer, madrid_receipt.id) is None
    with pytest.raises(AccessDenied):
        create_transfer(clerk, shop.company_id, kind="receipt", warehouse_id=shop.warehouse.id,
                        lines=[{"product_id": screw, "quantity": Decimal(1)}])
    clerk.rollback()

    other = db.as_user(everywhere)
    assert len(other.scalars(select(Transfer)).all()) == 2
    confirm_transfer(other, other.get(Transfer, madrid_receipt.id))
