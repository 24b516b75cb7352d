import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from addons.purchase.models import PurchaseProduct, SupplierPrice
from addons.purchase.services.prices import (
    create_supplier_price,
    delete_supplier_price,
    price_for,
    update_supplier_price,
)
from core.errors import AccessDenied, ValidationError

DAY = dt.date(2026, 6, 15)


def price(session, shop, supplier, amount, **values):
    return create_supplier_price(session, shop.company.id, product_id=values.pop("product", shop.bolts).id,
                                 supplier_id=supplier.id, price=Decimal(amount), **values)


def test_the_volume_tier_reached_and_valid_on_the_date_applies_and_says_why(shop):
    session = shop.buyer
    price(session, shop, shop.ferreteria, "0.40", supplier_code="T-M6", lead_time=5)
    tier = price(session, shop, shop.ferreteria, "0.30", min_quantity=Decimal(100))
    price(session, shop, shop.ferreteria, "0.20", min_quantity=Decimal(100), date_end=dt.date(2026, 5, 31))
    price(session, shop, shop.ferreteria, "0.10", min_quantity=Decimal(100), date_start=dt.date(2026, 7, 1))
    choice = price_for(session, shop.bolts, quantity=Decimal(150), date=DAY, supplier_id=shop.ferreteria.id)
    assert (choice.row.id, choice.price, choice.currency_code) == (tier.id, Decimal("0.30"), "EUR")
    assert choice.reason == (f"Supplier price {tier.id} of Ferretería Sol S.L.: 0.3 EUR from 100 units (150 ordered), "
                             "without dates on 2026-06-15, sequence 10.")
    small = price_for(session, shop.bolts, quantity=Decimal(99), date=DAY, supplier_id=shop.ferreteria.id)
    assert small.price == Decimal("0.40")
    assert price_for(session, shop.bolts, quantity=Decimal(1), date=DAY, supplier_id=shop.colori.id) is None
    assert price_for(session, shop.paint, quantity=Decimal(1), date=DAY) is None


def test_the_preferred_supplier_wins_and_shows_on_the_product(shop):
    session = shop.buyer
    price(session, shop, shop.ferreteria, "0.40", sequence=1)
    preferred = price(session, shop, shop.colori, "0.45", preferred=True, sequence=20)
    choice = price_for(session, shop.bolts, quantity=Decimal(1), date=DAY)
    assert choice.row.id == preferred.id and choice.reason.endswith("sequence 20, preferred.")
    side = session.get(PurchaseProduct, shop.bolts.id)
    assert side.preferred_supplier_id == shop.colori.id
    update_supplier_price(session, preferred, preferred=False)
    assert session.get(PurchaseProduct, shop.bolts.id).preferred_supplier_id == shop.ferreteria.id
    delete_supplier_price(shop.boss, shop.boss.get(SupplierPrice, preferred.id))
    with pytest.raises(AccessDenied):
        delete_supplier_price(session, session.scalars(select(SupplierPrice)).one())


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"price": Decimal(-1)}, "price", "Price: "),
    ({"min_quantity": Decimal(-5)}, "min_quantity", "Minimum quantity: "),
    ({"date_start": dt.date(2026, 6, 1), "date_end": dt.date(2026, 5, 1)}, "date_end",
     ("The price is valid until 2026-05-01, before it starts on 2026-06-01: the end date must not come before "
      "the start date.")),
    ({"currency_code": "XYZ"}, "currency_code", "XYZ is not a currency code"),
])
def test_bad_prices_are_refused_and_nothing_is_written(shop, values, field, message):
    session = shop.buyer
    with pytest.raises(ValidationError) as error:
        price(session, shop, shop.ferreteria, values.pop("price", Decimal(1)), **values)
    assert error.value.field == field and message in str(error.value)
    session.rollback()
    assert session.scalars(select(SupplierPrice)).all() == []


def test_inverting_the_dates_of_a_stored_price_is_refused(shop):
    row = price(shop.buyer, shop, shop.ferreteria, "1", date_start=dt.date(2026, 6, 1))
    with pytest.raises(ValidationError, match="before it starts on 2026-06-01"):
        update_supplier_price(shop.buyer, row, date_end=dt.date(2026, 1, 1))


def test_deleting_a_price_leaves_the_lines_it_priced_with_their_price(shop):
    from addons.purchase.services.orders import create_order

    row = create_supplier_price(shop.boss, shop.company.id, product_id=shop.bolts.id, supplier_id=shop.ferreteria.id,
                                price=Decimal("0.40"))
    order = create_order(shop.boss, shop.company.id, partner_id=shop.ferreteria.id, date_order=DAY,
                         lines=[{"product_id": shop.bolts.id, "quantity": 10}])
    line = order.lines[0]
    assert (line.supplier_price_id, line.unit_price) == (row.id, Decimal("0.40"))
    delete_supplier_price(shop.boss, row)
    shop.boss.refresh(line)
    assert (line.supplier_price_id, line.unit_price) == (None, Decimal("0.40"))
