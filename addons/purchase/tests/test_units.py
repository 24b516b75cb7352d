import datetime as dt
from decimal import Decimal

import pytest

from addons.products.units import unit_by_code
from addons.purchase.models import PurchaseProduct
from addons.purchase.services.orders import confirm_order, create_order
from addons.purchase.services.prices import create_supplier_price
from core.errors import ValidationError

DAY = dt.date(2026, 6, 15)


@pytest.fixture
def bolts_by_the_unit(shop):
    for price, minimum in (("0.40", 0), ("0.30", 1000)):
        create_supplier_price(shop.buyer, shop.company.id, product_id=shop.bolts.id, supplier_id=shop.ferreteria.id,
                              price=Decimal(price), min_quantity=Decimal(minimum))
    return shop


def order(shop, **line):
    return create_order(shop.buyer, shop.company.id, partner_id=shop.ferreteria.id, date_order=DAY,
                        lines=[{"product_id": shop.bolts.id, **line}])


def test_a_line_defaults_to_the_product_s_unit_and_boxes_are_priced_and_tiered_in_units(bolts_by_the_unit):
    shop = bolts_by_the_unit
    unit, box = unit_by_code(shop.buyer, "unit"), unit_by_code(shop.buyer, "box12")
    assert order(shop, quantity=10).lines[0].uom_id == unit.id
    boxes = order(shop, quantity=50, uom_id=box.id).lines[0]
    assert (boxes.unit_price, boxes.subtotal) == (Decimal("4.80"), Decimal("240.00"))
    many = order(shop, quantity=100, uom_id=box.id)  # 1,200 units: the 1,000-unit tier
    assert (many.lines[0].unit_price, many.amount_total) == (Decimal("3.60"), Decimal("360.00"))
    confirm_order(shop.buyer, many)
    assert shop.buyer.get(PurchaseProduct, shop.bolts.id).last_purchase_price == Decimal("0.300000")


def test_a_unit_of_another_kind_and_a_fraction_of_a_whole_unit_are_refused(bolts_by_the_unit):
    shop = bolts_by_the_unit
    with pytest.raises(ValidationError, match="Line 1: There is no conversion from .* to .*: they measure "
                                              "different things.") as error:
        order(shop, quantity=2, uom_id=unit_by_code(shop.buyer, "kg").id)
    assert error.value.field == "lines-0-uom_id"
    with pytest.raises(ValidationError, match="Box of 12 is counted in whole units: 2.5000 is not a whole number.") as error:
        order(shop, quantity=Decimal("2.5"), uom_id=unit_by_code(shop.buyer, "box12").id)
    assert error.value.field == "lines-0-quantity"


def test_the_purchase_unit_counts_prices_and_lines_and_must_measure_the_same(shop):
    system = shop.db.system()
    kg = unit_by_code(system, "kg")
    system.add(PurchaseProduct(product_id=shop.paint.id, purchase_uom_id=kg.id))
    with pytest.raises(ValidationError, match="Kilogram does not measure what the product's unit measures") as error:
        system.flush()
    assert error.value.field == "purchase_uom_id"
    system.rollback()
    side = PurchaseProduct(product_id=shop.bolts.id, purchase_uom_id=unit_by_code(system, "box12").id)
    system.add(side)
    system.commit()
    assert side.company_id == shop.company.id
    create_supplier_price(shop.buyer, shop.company.id, product_id=shop.bolts.id, supplier_id=shop.ferreteria.id,
                          price=Decimal("4.20"))  # a box
    line = order(shop, quantity=3).lines[0]
    assert (line.uom.code, line.unit_price, line.subtotal) == ("box12", Decimal("4.20"), Decimal("12.60"))
    by_unit = order(shop, quantity=6, uom_id=unit_by_code(shop.buyer, "unit").id).lines[0]
    assert by_unit.unit_price == Decimal("0.350000")
