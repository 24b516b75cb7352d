"""A quotation line costs what stock would value its quantity at, by the product's method, and says whether
the quantity will be there when the quotation is due."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from addons.contacts.services import create_partner
from addons.sales.services.quotes import confirm_quote, create_quote
from addons.sales_stock.availability import availability_notes
from addons.stock.tests.test_valuation import Books

DAY = dt.date(2027, 3, 15)


@pytest.fixture
def shop(db_copy):
    db = db_copy
    manager = db.user("jefe", groups=["stock.group_manager", "products.group_manager"])
    books = Books(db.as_user(manager), db.main_company.id)
    books.session.commit()
    system = db.system()
    customer = create_partner(system, db.main_company.id, name="Ferretería Ibérica S.L.", is_company=True)
    system.commit()
    ana = db.as_user(db.user("ana", groups=["sales.group_salesperson"]))
    return SimpleNamespace(books=books, customer=customer, ana=ana, company_id=db.main_company.id)


def quote(shop, *lines, **values):
    order = create_quote(shop.ana, shop.company_id, partner_id=shop.customer.id, date_order=DAY,
                        lines=[{"product_id": product.id, "quantity": quantity, "unit_price": "10"} for product, quantity in lines],
                        **values)
    shop.ana.commit()
    return order


def costs(order) -> list[tuple]:
    return [(line.cost, line.cost_source) for line in order.lines]


def test_fifo_costs_the_oldest_layers_the_quantity_would_take(shop):
    books = shop.books
    bolt = books.product("BOLT", "fifo", cost="1")
    books.receive(bolt, 10, "5.00", 1)
    books.receive(bolt, 10, "6.00", 2)
    books.session.commit()
    order = quote(shop, (bolt, 5), (bolt, 15), (bolt, 25))
    assert costs(order) == [(D("5.00"), "FIFO stock value"), (D("5.333333"), "FIFO stock value"),
                            (D("5.60"), "FIFO stock value")]  # 25: 10 x 5 + 10 x 6, 5 more at the last cost 6
    books.deliver(bolt, 12, 3)
    books.session.commit()
    assert costs(quote(shop, (bolt, 5))) == [(D("6.00"), "FIFO stock value")]  # the first layer is gone


@pytest.mark.parametrize(("method", "expected"), [("average", (D("6.00"), "average cost")),
                                                  ("last", (D("7.00"), "last purchase price")),
                                                  ("standard", (D("4.00"), "standard cost"))])
def test_the_other_methods_give_their_cost(shop, method, expected):
    books = shop.books
    nut = books.product("NUT", method, cost="4")
    books.receive(nut, 10, "5.00", 1)
    books.receive(nut, 10, "7.00", 2)
    books.session.commit()
    assert costs(quote(shop, (nut, 3))) == [expected]


def test_a_product_stock_never_valued_keeps_the_product_cost(shop):
    washer = shop.books.product("WASHER", "fifo", cost="0.30")
    shop.books.session.commit()
    assert costs(quote(shop, (washer, 3))) == [(D("0.30"), "product cost")]


def test_a_quantity_not_available_in_time_is_a_warning(shop):
    books = shop.books
    bolt = books.product("BOLT", "fifo")
    books.receive(bolt, 5, "5.00", 1)
    books.session.commit()
    order = quote(shop, (bolt, 3), (bolt, 4), validity_date=DAY + dt.timedelta(days=30))
    notes = availability_notes(shop.ana, order)
    assert [(note.line_id, note.warning) for note in notes] == [(order.lines[0].id, True), (order.lines[1].id, True)]
    assert notes[0].text == ("Not available in time: 5 Unit forecast on 2027-04-14 for 7 quoted (5 on hand).")
    enough = quote(shop, (bolt, 5))
    (note,) = availability_notes(shop.ana, enough)
    assert (note.warning, note.text) == (False, "5 Unit on hand, 5 forecast on 2027-04-14.")
    confirm_quote(shop.ana, enough, today=DAY)
    # its delivery holds the goods now, and shows on the page; the line says where they leave from
    assert [note.text for note in availability_notes(shop.ana, enough)] == [
        f"Leaves from {shop.books.warehouse.display_name}."]
