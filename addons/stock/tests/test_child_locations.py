"""Reserving from a location takes what the locations under it hold, as Odoo does: a delivery from WH/Stock
takes the units on WH/Stock/Shelf 1, and its moves say which shelf each unit left from."""
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from addons.stock.models import Location, StockMove
from addons.stock.services.lots import create_lot
from addons.stock.services.transfers import (
    confirm_transfer,
    process_transfer,
    reserve_transfer,
    unreserve_transfer,
)
from core.errors import ValidationError

D = Decimal


def shelf(shop, name, parent=None) -> int:
    location = Location(company_id=shop.company_id, name=name, kind="internal",
                        parent_id=parent if parent is not None else shop.stock.id)
    shop.session.add(location)
    shop.session.flush()
    return location.id


def receive(shop, product_id, quantity, into, lot_id=None):
    receipt = shop.transfer("receipt", {"product_id": product_id, "quantity": D(quantity), "lot_id": lot_id},
                            dest_location_id=into)
    process_transfer(shop.session, receipt)


def lines(shop, transfer) -> list[tuple]:
    return shop.session.execute(
        select(StockMove.source_location_id, StockMove.quantity, StockMove.reserved, StockMove.state, StockMove.lot_id)
        .where(StockMove.transfer_id == transfer.id).order_by(StockMove.id)).all()


def test_a_delivery_from_the_stock_reserves_from_its_shelves_and_each_move_names_its_shelf(shop):
    screw = shop.product("TORN")
    one, two = shelf(shop, "Shelf 1"), shelf(shop, "Shelf 2")
    receive(shop, screw, 2, shop.stock.id)
    receive(shop, screw, 3, one)
    receive(shop, screw, 4, two)
    delivery = shop.transfer("delivery", (screw, 8))
    confirm_transfer(shop.session, delivery)
    assert delivery.state == "ready"
    assert lines(shop, delivery) == [(shop.stock.id, D(2), D(2), "ready", None), (one, D(3), D(3), "ready", None),
                                     (two, D(3), D(3), "ready", None)]
    assert shop.quants(screw) == [(shop.stock.id, None, D(2), D(2)), (one, None, D(3), D(3)), (two, None, D(4), D(3))]
    process_transfer(shop.session, delivery)
    assert [(source, state) for source, _q, _r, state, _lot in lines(shop, delivery)] == [
        (shop.stock.id, "done"), (one, "done"), (two, "done")]
    assert shop.quants(screw) == [(two, None, D(1), D(0))]


def test_what_the_shelves_do_not_cover_waits_at_the_stock_and_unreserving_gives_the_shelves_back(shop):
    screw = shop.product("TORN")
    one, two = shelf(shop, "Shelf 1"), shelf(shop, "Shelf 2")
    receive(shop, screw, 3, one)
    delivery = shop.transfer("delivery", (screw, 5))
    confirm_transfer(shop.session, delivery)
    assert delivery.state == "waiting"
    assert lines(shop, delivery) == [(one, D(3), D(3), "ready", None), (shop.stock.id, D(2), D(0), "waiting", None)]
    with pytest.raises(ValidationError, match=r"only 0 available at MAD/Stock, 2 asked"):
        process_transfer(shop.session, delivery, backorder=False)
    receive(shop, screw, 2, two)
    reserve_transfer(shop.session, delivery)
    assert delivery.state == "ready"
    assert lines(shop, delivery) == [(one, D(3), D(3), "ready", None), (two, D(2), D(2), "ready", None)]
    unreserve_transfer(shop.session, delivery)
    assert lines(shop, delivery) == [(shop.stock.id, D(3), D(0), "waiting", None),
                                     (shop.stock.id, D(2), D(0), "waiting", None)]
    assert shop.quants(screw) == [(one, None, D(3), D(0)), (two, None, D(2), D(0))]


def test_a_shelf_under_a_shelf_counts_and_a_delivery_from_a_shelf_takes_nothing_beside_or_above_it(shop):
    screw = shop.product("TORN")
    one = shelf(shop, "Shelf 1")
    bin_ = shelf(shop, "Bin A", parent=one)
    two = shelf(shop, "Shelf 2")
    receive(shop, screw, 5, shop.stock.id)
    receive(shop, screw, 5, two)
    receive(shop, screw, 1, bin_)
    delivery = shop.transfer("delivery", (screw, 3), source_location_id=one)
    confirm_transfer(shop.session, delivery)
    assert lines(shop, delivery) == [(bin_, D(1), D(1), "ready", None), (one, D(2), D(0), "waiting", None)]


def test_done_without_confirming_takes_from_the_shelves_too(shop):
    screw = shop.product("TORN")
    one = shelf(shop, "Shelf 1")
    receive(shop, screw, 4, one)
    delivery = shop.transfer("delivery", (screw, 4))
    process_transfer(shop.session, delivery)
    assert lines(shop, delivery) == [(one, D(4), D(0), "done", None)]
    assert shop.quants(screw) == []


def test_a_lot_tracked_product_takes_its_lots_on_the_shelves_earliest_expiry_first(shop):
    milk = shop.product("LECHE", tracking="lot")
    one, two = shelf(shop, "Shelf 1"), shelf(shop, "Shelf 2")
    late = create_lot(shop.session, shop.company_id, product_id=milk, name="L-LATE", expiry_date=dt.date(2027, 6, 1))
    soon = create_lot(shop.session, shop.company_id, product_id=milk, name="L-SOON", expiry_date=dt.date(2027, 1, 1))
    receive(shop, milk, 5, one, late.id)
    receive(shop, milk, 3, two, soon.id)
    delivery = shop.transfer("delivery", (milk, 6))
    confirm_transfer(shop.session, delivery)
    assert lines(shop, delivery) == [(two, D(3), D(3), "ready", soon.id), (one, D(3), D(3), "ready", late.id)]
    process_transfer(shop.session, delivery)
    assert shop.quants(milk) == [(one, late.id, D(2), D(0))]
