"""Receipts, deliveries, reservation, partial processing with a backorder, returns, cancelling."""
from decimal import Decimal

import pytest

from addons.stock.services.transfers import cancel_transfer, confirm_transfer, process_transfer, return_transfer, scan
from core.errors import ValidationError

D = Decimal


def receive(shop, product_id, quantity):
    receipt = shop.transfer("receipt", (product_id, quantity))
    confirm_transfer(shop.session, receipt)
    process_transfer(shop.session, receipt)
    return receipt


def test_a_receipt_then_a_delivery_move_the_stock_and_reserve_on_confirming(shop):
    screw = shop.product("TORN")
    receipt = receive(shop, screw, 10)
    assert (receipt.state, receipt.name) == ("done", "MAD/IN/00001")
    assert shop.on_hand(screw) == (D(10), D(0))
    delivery = shop.transfer("delivery", (screw, 4), origin="SO-1")
    confirm_transfer(shop.session, delivery)
    assert (delivery.state, shop.moves(delivery)) == ("ready", [(D(4), D(4), "ready", None)])
    assert shop.on_hand(screw) == (D(10), D(4))
    backorder, warnings = process_transfer(shop.session, delivery)
    assert (backorder, warnings, delivery.state) == (None, [], "done")
    assert shop.on_hand(screw) == (D(6), D(0))
    assert shop.quants(screw) == [(shop.stock.id, None, D(6), D(0))]


def test_a_delivery_of_more_than_on_hand_waits_and_cannot_be_forced(shop):
    screw = shop.product("TORN")
    receive(shop, screw, 3)
    delivery = shop.transfer("delivery", (screw, 5))
    confirm_transfer(shop.session, delivery)
    assert (delivery.state, shop.moves(delivery)) == ("waiting", [(D(5), D(3), "waiting", None)])
    with pytest.raises(ValidationError, match=r"\[TORN\] Product TORN: only 3 available at MAD/Stock, "
                                              r"5 asked\.") as error:
        process_transfer(shop.session, delivery, backorder=False)
    assert error.value.field == "quantity"
    assert (delivery.state, shop.on_hand(screw)) == ("waiting", (D(3), D(3)))


def test_partial_processing_leaves_a_backorder_with_the_rest_and_its_reservation(shop):
    screw, paint = shop.product("TORN"), shop.product("PINT")
    receive(shop, screw, 10)
    receive(shop, paint, 10)
    delivery = shop.transfer("delivery", (screw, 6), (paint, 2))
    confirm_transfer(shop.session, delivery)
    screw_move, paint_move = delivery.moves
    backorder, _warnings = process_transfer(shop.session, delivery, quantities={screw_move.id: D(4)})
    assert delivery.state == "done" and shop.moves(delivery) == [(D(4), D(0), "done", None)]
    assert backorder.backorder_of_id == delivery.id and backorder.name == "MAD/OUT/00002"
    assert (backorder.state, shop.moves(backorder)) == ("ready", [(D(2), D(2), "ready", None),
                                                                   (D(2), D(2), "ready", None)])
    assert shop.on_hand(screw) == (D(6), D(2)) and shop.on_hand(paint) == (D(10), D(2))
    process_transfer(shop.session, backorder)
    assert shop.on_hand(screw) == (D(4), D(0)) and shop.on_hand(paint) == (D(8), D(0))


def test_without_a_backorder_the_rest_is_cancelled_and_its_reservation_given_back(shop):
    screw = shop.product("TORN")
    receive(shop, screw, 10)
    delivery = shop.transfer("delivery", (screw, 6))
    confirm_transfer(shop.session, delivery)
    backorder, _warnings = process_transfer(shop.session, delivery, quantities={delivery.moves[0].id: D(1)},
                                            backorder=False)
    assert backorder is None and delivery.state == "done"
    assert shop.moves(delivery) == [(D(1), D(0), "done", None), (D(5), D(0), "cancelled", None)]
    assert shop.on_hand(screw) == (D(9), D(0))


def test_scanning_counts_the_quantities_done_and_a_return_brings_them_back(shop):
    screw = shop.product("TORN", barcode="8412345678905")
    receive(shop, screw, 10)
    delivery = shop.transfer("delivery", (screw, 3))
    confirm_transfer(shop.session, delivery)
    scan(shop.session, delivery, "8412345678905")
    scan(shop.session, delivery, "TORN")
    with pytest.raises(ValidationError, match="Nothing in this transfer has the code 999."):
        scan(shop.session, delivery, "999")
    backorder, _warnings = process_transfer(shop.session, delivery)
    assert shop.on_hand(screw) == (D(8), D(1)) and shop.moves(backorder) == [(D(1), D(1), "ready", None)]
    back = return_transfer(shop.session, delivery)
    assert (back.kind, back.return_of_id, back.source_location_id) == (
        "receipt", delivery.id, shop.settings.customer_location_id)
    process_transfer(shop.session, back)
    assert shop.on_hand(screw) == (D(10), D(1))
    with pytest.raises(ValidationError, match="Nothing of this transfer is left to return."):
        return_transfer(shop.session, delivery)


def test_cancelling_gives_the_reservation_back_and_a_done_transfer_is_returned_instead(shop):
    screw = shop.product("TORN")
    receipt = receive(shop, screw, 5)
    delivery = shop.transfer("delivery", (screw, 5))
    confirm_transfer(shop.session, delivery)
    cancel_transfer(shop.session, delivery)
    assert delivery.state == "cancelled" and shop.on_hand(screw) == (D(5), D(0))
    with pytest.raises(ValidationError, match="A done transfer cannot be cancelled"):
        cancel_transfer(shop.session, receipt)


@pytest.mark.parametrize("quantity", ["-2", "0"])
def test_a_quantity_must_be_more_than_zero(shop, quantity):
    screw = shop.product("TORN")
    with pytest.raises(ValidationError, match=r"\[TORN\] Product TORN: the quantity must be more than zero."):
        shop.transfer("receipt", (screw, quantity))


def test_a_product_allowed_negative_stock_is_delivered_without_stock(shop):
    screw = shop.product("TORN", allow_negative=True)
    delivery = shop.transfer("delivery", (screw, 2))
    confirm_transfer(shop.session, delivery)
    process_transfer(shop.session, delivery)
    assert delivery.state == "done" and shop.on_hand(screw) == (D(-2), D(0))
