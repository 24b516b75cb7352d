"""Lots (earliest expiry first, traced up and down), serial numbers (one unit, never in stock twice), and full
locations."""
import datetime as dt
from decimal import Decimal

import pytest

from addons.stock.models import Location, Lot
from addons.stock.services.lots import create_lot, trace
from addons.stock.services.transfers import confirm_transfer, process_transfer
from core.errors import ValidationError

D = Decimal


def lot(shop, product_id, name, expiry=None):
    return create_lot(shop.session, shop.company_id, product_id=product_id, name=name, expiry_date=expiry).id


def receive(shop, *lines):
    receipt = shop.transfer("receipt", *lines)
    confirm_transfer(shop.session, receipt)
    return process_transfer(shop.session, receipt)


def test_a_lot_tracked_product_needs_its_lot_and_is_delivered_earliest_expiry_first(shop):
    milk = shop.product("LECHE", tracking="lot")
    with pytest.raises(ValidationError, match=r"\[LECHE\] Product LECHE: choose its lot or serial number.") as error:
        receive(shop, (milk, 5))
    assert error.value.field == "lot_id"
    late, soon = lot(shop, milk, "L-LATE", dt.date(2027, 6, 1)), lot(shop, milk, "L-SOON", dt.date(2027, 1, 1))
    receive(shop, {"product_id": milk, "quantity": D(5), "lot_id": late},
            {"product_id": milk, "quantity": D(3), "lot_id": soon})
    delivery = shop.transfer("delivery", (milk, 6))
    confirm_transfer(shop.session, delivery)
    assert shop.moves(delivery) == [(D(3), D(3), "ready", soon), (D(3), D(3), "ready", late)]
    process_transfer(shop.session, delivery)
    assert shop.quants(milk) == [(shop.stock.id, late, D(2), D(0))]


def test_a_serial_number_is_one_unit_and_never_in_stock_twice(shop):
    drill = shop.product("TALADRO", tracking="serial")
    first = lot(shop, drill, "SN-001")
    with pytest.raises(ValidationError, match="a serial number is one unit"):
        shop.transfer("receipt", {"product_id": drill, "quantity": D(2), "lot_id": first})
    receive(shop, {"product_id": drill, "quantity": D(1), "lot_id": first})
    with pytest.raises(ValidationError, match="serial number SN-001 is in stock already."):
        receive(shop, {"product_id": drill, "quantity": D(1), "lot_id": first})
    assert shop.quants(drill) == [(shop.stock.id, first, D(1), D(0))]


def bounded(shop, capacity, policy=None, unit="units"):
    location = shop.session.get(Location, shop.stock.id)
    location.capacity, location.capacity_policy, location.capacity_unit = D(capacity), policy, unit
    shop.session.flush()


def test_a_receipt_into_a_full_location_is_refused_by_default_and_nothing_moves(shop):
    screw = shop.product("TORN")
    bounded(shop, 10)
    receive(shop, (screw, 8))
    with pytest.raises(ValidationError, match="MAD/Stock is full: it holds 8 of 10 and the move brings 5."):
        receive(shop, (screw, 5))
    assert shop.on_hand(screw) == (D(8), D(0))


def test_a_location_set_to_warn_takes_the_move_and_says_so_by_volume(shop):
    box = shop.product("CAJA", volume=D("0.5"))
    bounded(shop, 2, policy="warn", unit="volume")
    _backorder, warnings = receive(shop, (box, 6))
    assert warnings == ["MAD/Stock is full: it holds 0 of 2 and the move brings 3."]
    assert shop.on_hand(box) == (D(6), D(0))


def test_a_lot_is_traced_from_the_receipt_that_brought_it_to_the_delivery_that_took_it(shop):
    milk = shop.product("LECHE", tracking="lot")
    batch = lot(shop, milk, "L-42", dt.date(2027, 1, 1))
    receipt = shop.transfer("receipt", {"product_id": milk, "quantity": D(5), "lot_id": batch}, origin="PO-7")
    process_transfer(shop.session, receipt)
    delivery = shop.transfer("delivery", (milk, 2), origin="SO-9")
    confirm_transfer(shop.session, delivery)
    process_transfer(shop.session, delivery)
    found = trace(shop.session, shop.session.get(Lot, batch))
    assert [(m.transfer.origin, m.product_quantity) for m in found.arrived] == [("PO-7", D(5))]
    assert [(m.transfer.origin, m.product_quantity) for m in found.left] == [("SO-9", D(2))]
    assert found.moved == [] and [(q.location_id, q.quantity) for q in found.where] == [(shop.stock.id, D(3))]
