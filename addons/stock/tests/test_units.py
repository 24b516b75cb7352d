"""Moves counted in a unit of measure: converted to the product's unit, whole units refuse fractions, a unit that
does not convert is refused."""
from decimal import Decimal

import pytest

from addons.products.units import unit_by_code
from addons.stock.services.transfers import confirm_transfer, process_transfer
from core.errors import ValidationError

D = Decimal


def line(shop, product_id, quantity, unit):
    return {"product_id": product_id, "quantity": D(quantity), "uom_id": unit_by_code(shop.session, unit).id}


def test_boxes_of_twelve_arrive_as_units_and_leave_by_the_dozen_partly(shop):
    egg = shop.product("HUEVO")
    receipt = shop.transfer("receipt", line(shop, egg, "3", "box12"))
    process_transfer(shop.session, receipt)
    assert shop.on_hand(egg) == (D(36), D(0))
    delivery = shop.transfer("delivery", line(shop, egg, "2.5", "dozen"))
    confirm_transfer(shop.session, delivery)
    assert shop.on_hand(egg) == (D(36), D(30))
    backorder, _warnings = process_transfer(shop.session, delivery, quantities={delivery.moves[0].id: D("1.5")})
    assert shop.on_hand(egg) == (D(18), D(12))
    (rest,) = backorder.moves
    assert (rest.quantity, rest.uom.code, rest.product_quantity, rest.reserved) == (D(1), "dozen", D(12), D(12))


def test_a_fraction_of_a_whole_unit_is_refused(shop):
    egg = shop.product("HUEVO")
    with pytest.raises(ValidationError, match=r"\[HUEVO\] Product HUEVO: Unit is counted in whole units: 1.5 is not a "
                                              "whole number.") as error:
        shop.transfer("receipt", line(shop, egg, "1.5", "unit"))
    assert error.value.field == "quantity"
    with pytest.raises(ValidationError, match="Unit is counted in whole units: 1.2000 is not a whole number."):
        shop.transfer("receipt", line(shop, egg, "0.1", "dozen"))  # 1.2 eggs
    assert shop.transfer("receipt", line(shop, egg, "0.25", "dozen")).moves[0].product_quantity == D(3)


def test_a_unit_without_a_conversion_is_refused_and_nothing_is_written(shop):
    egg = shop.product("HUEVO")
    with pytest.raises(ValidationError, match=r"\[HUEVO\] Product HUEVO: There is no conversion from Kilogram to "
                                              "Unit") as error:
        shop.transfer("receipt", line(shop, egg, "2", "kg"))
    assert error.value.field == "uom_id"

