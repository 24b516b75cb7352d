"""Inventory counts: differences posted as moves to and from the inventory-loss location; a count below what is
reserved is refused with a clear message and posts nothing."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from addons.stock.models import StockMove
from addons.stock.services.counts import (
    add_count_line,
    create_count,
    post_count,
    record_counts,
    start_count,
)
from addons.stock.services.lots import create_lot
from addons.stock.services.transfers import (
    confirm_transfer,
    process_transfer,
    reserve_transfer,
    unreserve_transfer,
)
from core.errors import ValidationError

D = Decimal


def receive(shop, *lines):
    process_transfer(shop.session, shop.transfer("receipt", *lines))


def started(shop, **values):
    count = create_count(shop.session, shop.company_id, name="Recuento", location_id=shop.view.id, **values)
    return start_count(shop.session, count)


def test_a_full_count_posts_what_was_lost_and_found_and_lists_what_was_not_expected(shop):
    screw, nail, paint = shop.product("TORN"), shop.product("CLAVO"), shop.product("PINT")
    receive(shop, (screw, 10), (nail, 5))
    count = started(shop)
    assert [(line.product_id, line.location_id, line.expected, line.counted) for line in count.lines] == [
        (screw, shop.stock.id, D(10), None), (nail, shop.stock.id, D(5), None)]
    screw_line, nail_line = count.lines
    found = add_count_line(shop.session, count, product_id=paint, location_id=shop.stock.id, counted=D(4))
    record_counts(shop.session, count, counted={screw_line.id: D(7), nail_line.id: None})
    ids = post_count(shop.session, count)
    loss = shop.settings.inventory_location_id
    moved = shop.session.execute(select(StockMove.product_id, StockMove.quantity, StockMove.source_location_id,
                                        StockMove.dest_location_id, StockMove.state)
                                 .where(StockMove.id.in_(ids)).order_by(StockMove.id)).all()
    assert moved == [(screw, D(3), shop.stock.id, loss, "done"), (paint, D(4), loss, shop.stock.id, "done")]
    assert count.state == "done" and found.expected == 0
    assert [shop.on_hand(p)[0] for p in (screw, nail, paint)] == [D(7), D(5), D(4)]


def test_a_count_of_one_product_lists_only_it(shop):
    screw, nail = shop.product("TORN"), shop.product("CLAVO")
    receive(shop, (screw, 10), (nail, 5))
    count = started(shop, product_id=nail)
    assert [line.product_id for line in count.lines] == [nail]
    with pytest.raises(ValidationError, match="This count is of another product."):
        add_count_line(shop.session, count, product_id=screw, location_id=shop.stock.id, counted=D(1))


def test_a_count_finding_less_than_is_reserved_is_refused_and_posts_nothing(shop):
    screw = shop.product("TORN")
    receive(shop, (screw, 10))
    delivery = shop.transfer("delivery", (screw, 5))
    confirm_transfer(shop.session, delivery)
    count = started(shop)
    record_counts(shop.session, count, counted={count.lines[0].id: D(3)})
    refusal = (r"\[TORN\] Product TORN at MAD/Stock: 3 counted, but 5 are reserved for MAD/OUT/00001. Unreserve "
               r"them, or count again, before posting.")
    with pytest.raises(ValidationError, match=refusal) as error:
        post_count(shop.session, count)
    assert error.value.field == "counted"
    assert count.state == "counting" and shop.on_hand(screw) == (D(10), D(5))
    with pytest.raises(ValidationError, match="Counted: "):
        record_counts(shop.session, count, counted={count.lines[0].id: D(-1)})
    unreserve_transfer(shop.session, delivery)
    post_count(shop.session, count)
    assert shop.on_hand(screw) == (D(3), D(0)) and count.state == "done"
    reserve_transfer(shop.session, delivery)
    assert delivery.state == "waiting" and shop.on_hand(screw) == (D(3), D(3))


def test_found_lots_and_serials_are_added_with_their_lot_checked(shop):
    milk, drill, screw = shop.product("LECHE", tracking="lot"), shop.product("TALADRO", tracking="serial"), \
        shop.product("TORN")
    old = create_lot(shop.session, shop.company_id, product_id=milk, name="L-1")
    receive(shop, {"product_id": milk, "quantity": D(5), "lot_id": old.id})
    count = started(shop)
    found = create_lot(shop.session, shop.company_id, product_id=milk, name="L-2")
    serial = create_lot(shop.session, shop.company_id, product_id=drill, name="SN-9")
    line = add_count_line(shop.session, count, product_id=milk, location_id=shop.stock.id, lot_id=found.id,
                          counted=D(3))
    assert (line.lot_id, line.expected, line.counted) == (found.id, D(0), D(3))
    refusals = [
        ({"product_id": milk, "lot_id": None, "counted": D(1)}, r"\[LECHE\] Product LECHE: choose its lot", "lot_id"),
        ({"product_id": milk, "lot_id": serial.id, "counted": D(1)}, "the lot belongs to another product", "lot_id"),
        ({"product_id": drill, "lot_id": serial.id, "counted": D(2)}, "a serial number is one unit", "counted"),
        ({"product_id": screw, "lot_id": found.id, "counted": D(1)}, "is not tracked by lots", "lot_id"),
        ({"product_id": milk, "lot_id": old.id, "counted": D(1)}, "already has a line for L-1 at MAD/Stock", "lot_id"),
    ]
    for values, message, field in refusals:
        with pytest.raises(ValidationError, match=message) as error:
            add_count_line(shop.session, count, location_id=shop.stock.id, **values)
        assert error.value.field == field, message
    with pytest.raises(ValidationError, match="Choose a location that holds stock") as error:
        add_count_line(shop.session, count, product_id=milk, location_id=shop.view.id, lot_id=found.id, counted=D(1))
    assert error.value.field == "location_id"
    assert len(count.lines) == 2
    serial_line = add_count_line(shop.session, count, product_id=drill, location_id=shop.stock.id, lot_id=serial.id,
                                 counted=D(1))
    with pytest.raises(ValidationError, match="a serial number is one unit"):
        record_counts(shop.session, count, counted={serial_line.id: D(2)})
    post_count(shop.session, count)
    assert shop.quants(milk) == [(shop.stock.id, old.id, D(5), D(0)), (shop.stock.id, found.id, D(3), D(0))]
    assert shop.quants(drill) == [(shop.stock.id, serial.id, D(1), D(0))]
