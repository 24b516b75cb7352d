"""Stock reports against figures worked out by hand from a few dated moves.

The moves (company of the shop, warehouse MAD with its Stock location and a
Shelf under it; warehouse BCN):

- 5 Jan: 10 screws received into MAD/Stock at 2.00          -> screws 10, worth 20.00
- 7 Jan: 5 screws received into Shelf at 3.00; 7 paint into MAD/Stock at 1.50
                                                            -> screws 15 (35.00), paint 7 (10.50)
- 9 Jan: 3 paint received into BCN at 1.50 (BCN only)
- 10 Jan: 4 screws delivered from MAD/Stock at 2.00         -> screws 11 (27.00)
- pending: 20 screws to receive in 3 days, 6 screws to deliver in 10 days (reserved from MAD/Stock).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from addons.products.services import create_category, create_product, update_product
from addons.stock.models import Location, ProductStock
from addons.stock.replenishment import create_rule, evaluate_rules
from addons.stock.reports import Scope, forecast, move_history, stock_on_hand, stock_over_time, valuation_at
from addons.stock.services import moves as move_services
from addons.stock.services.setup import create_warehouse, warehouse_locations
from addons.stock.services.transfers import confirm_transfer, create_transfer
from core.errors import AccessDenied, ValidationError
from core.lifecycle import Lifecycle
from core.reports import to_csv, to_xlsx
from core.security import actor_session
from core.sessions import make_session_factory
from core.testing import initialized_database

D = Decimal
TODAY = dt.date.today()


def JAN(day: int) -> dt.date:
    return dt.date(2026, 1, day)


class Books:
    """The shop of conftest with the moves above, each done on its day."""

    def __init__(self, shop):
        self.shop, self.session, self.company_id = shop, shop.session, shop.company_id
        session = self.session
        self.shelf = Location(company_id=self.company_id, name="Shelf", kind="internal", parent_id=shop.stock.id)
        session.add(self.shelf)
        session.flush()
        hardware = create_category(session, self.company_id, name="Hardware")
        screws = create_category(session, self.company_id, name="Screws", parent_id=hardware.id)
        self.hardware = hardware
        self.screw = create_product(session, self.company_id, code="TORN", name="Screw", category_id=screws.id,
                                    cost=D("2.25")).id
        self.paint = create_product(session, self.company_id, code="PINT", name="Paint", cost=D("1.50")).id
        self.bcn = create_warehouse(session, self.company_id, code="BCN", name="Barcelona")
        self.bcn_stock = warehouse_locations(session, self.bcn)[1]
        self.done(JAN(5), "receipt", self.screw, 10, D("2.00"))
        self.done(JAN(7), "receipt", self.screw, 5, D("3.00"), dest_location_id=self.shelf.id)
        self.done(JAN(7), "receipt", self.paint, 7, D("1.50"))
        self.done(JAN(9), "receipt", self.paint, 3, D("1.50"), warehouse=self.bcn)
        self.done(JAN(10), "delivery", self.screw, 4)  # FIFO: 4 of the 10 at 2.00
        self.incoming = self.pending("receipt", self.screw, 20, TODAY + dt.timedelta(days=3))
        self.outgoing = self.pending("delivery", self.screw, 6, TODAY + dt.timedelta(days=10))

    def transfer(self, kind, product_id, quantity, warehouse=None, unit_cost=None, **values):
        line = {"product_id": product_id, "quantity": D(quantity), "unit_cost": unit_cost}
        return create_transfer(self.session, self.company_id, kind=kind,
                               warehouse_id=(warehouse or self.shop.warehouse).id, lines=[line], **values)

    def done(self, day, kind, product_id, quantity, unit_cost=None, warehouse=None, **values):
        """A transfer done on ``day``; a receipt at ``unit_cost`` (a delivery: at what FIFO says)."""
        transfer = self.transfer(kind, product_id, quantity, warehouse, unit_cost, **values)
        move_services.done(self.session, transfer.moves, date=dt.datetime.combine(day, dt.time(15, 30)))

    def pending(self, kind, product_id, quantity, scheduled):
        transfer = self.transfer(kind, product_id, quantity, scheduled_date=scheduled)
        confirm_transfer(self.session, transfer)
        return transfer

    def scope(self, **filters):
        return Scope(self.company_id, **filters)


@pytest.fixture
def books(shop):
    return Books(shop)


def rows(report, *keys):
    return [tuple(getattr(row, key) for key in keys) for row in report.rows]


def test_stock_on_hand_per_product_location_and_lot_with_what_is_reserved(books):
    report = stock_on_hand(books.session, books.scope())
    assert rows(report, "code", "location", "quantity", "reserved", "available") == [
        ("PINT", "BCN/Stock", D(3), D(0), D(3)),
        ("PINT", "MAD/Stock", D(7), D(0), D(7)),
        ("TORN", "MAD/Stock", D(6), D(6), D(0)),
        ("TORN", "Stock/Shelf", D(5), D(0), D(5)),
    ]


def test_stock_on_hand_filtered_by_warehouse_location_subtree_product_and_category(books):
    madrid = stock_on_hand(books.session, books.scope(warehouse_id=books.shop.warehouse.id))
    assert rows(madrid, "code", "location", "quantity") == [("PINT", "MAD/Stock", D(7)), ("TORN", "MAD/Stock", D(6)),
                                                           ("TORN", "Stock/Shelf", D(5))]
    shelf = stock_on_hand(books.session, books.scope(location_id=books.shelf.id))
    assert rows(shelf, "code", "quantity") == [("TORN", D(5))]
    under_stock = stock_on_hand(books.session, books.scope(location_id=books.shop.stock.id))
    assert rows(under_stock, "code", "location") == [("PINT", "MAD/Stock"), ("TORN", "MAD/Stock"),
                                                     ("TORN", "Stock/Shelf")]
    by_category = stock_on_hand(books.session, books.scope(category_id=books.hardware.id), by_lot=False)
    assert rows(by_category, "code", "quantity") == [("TORN", D(6)), ("TORN", D(5))]
    assert "lot" not in [column.key for column in by_category.columns]
    assert rows(stock_on_hand(books.session, books.scope(product_id=books.paint)), "quantity") == [(D(3),), (D(7),)]  # BCN, MAD


def test_forecast_adds_incoming_and_takes_outgoing_up_to_the_date(books):
    soon = forecast(books.session, books.scope(warehouse_id=books.shop.warehouse.id),
                    until=TODAY + dt.timedelta(days=5))
    assert rows(soon, "code", "on_hand", "incoming", "outgoing", "forecast") == [
        ("PINT", D(7), D(0), D(0), D(7)), ("TORN", D(11), D(20), D(0), D(31))]
    later = forecast(books.session, books.scope(product_id=books.screw), until=TODAY + dt.timedelta(days=10))
    assert rows(later, "on_hand", "incoming", "outgoing", "forecast") == [(D(11), D(20), D(6), D(25))]
    today = forecast(books.session, books.scope(), until=TODAY)
    assert rows(today, "code", "forecast") == [("PINT", D(10)), ("TORN", D(11))]


def test_valuation_at_a_date_from_the_moves_values(books):
    assert rows(valuation_at(books.session, books.scope(), at=JAN(4)), "code") == []
    first = valuation_at(books.session, books.scope(), at=JAN(5))
    assert rows(first, "code", "quantity", "unit_cost", "value") == [("TORN", D(10), D("2.000000"), D("20.00"))]
    assert rows(valuation_at(books.session, books.scope(), at=JAN(7)), "code", "quantity", "value") == [
        ("PINT", D(7), D("10.50")), ("TORN", D(15), D("35.00"))]
    end = valuation_at(books.session, books.scope(), at=JAN(31))
    assert rows(end, "code", "quantity", "unit_cost", "value") == [
        ("PINT", D(10), D("1.500000"), D("15.00")), ("TORN", D(11), D("2.454545"), D("27.00"))]
    assert end.totals == [(end.totals[0][0], {"value": D("42.00")})]
    madrid = valuation_at(books.session, books.scope(warehouse_id=books.shop.warehouse.id), at=JAN(31))
    assert madrid.totals[0][1] == {"value": D("37.50")}
    shelf = valuation_at(books.session, books.scope(location_id=books.shelf.id), at=JAN(31))
    assert rows(shelf, "code", "quantity", "value") == [("TORN", D(5), D("15.00"))]



def test_a_company_s_valuation_is_its_valuation_ledger_revaluations_included(books):
    """A standard cost raised from 10 to 11 with 5 gears on hand revalues them by 5: the company's value (the
    ledger) says 55; a warehouse's (its moves at their unit cost, which the ledger does not follow) 50."""
    session = books.session
    gear = create_product(session, books.company_id, code="GEAR", name="Gear", cost=D("10.00"))
    session.add(ProductStock(product_id=gear.id, valuation_method="standard"))
    session.flush()
    books.done(JAN(12), "receipt", gear.id, 5, D("12.00"))
    update_product(session, gear, cost=D("11.00"))
    session.flush()
    company = valuation_at(session, books.scope(product_id=gear.id), at=TODAY)
    assert rows(company, "quantity", "unit_cost", "value") == [(D(5), D("11.000000"), D("55.00"))]
    madrid = valuation_at(session, books.scope(product_id=gear.id, warehouse_id=books.shop.warehouse.id), at=TODAY)
    assert rows(madrid, "quantity", "value") == [(D(5), D("50.00"))]
    assert rows(valuation_at(session, books.scope(product_id=gear.id), at=JAN(12)), "value") == [(D("50.00"),)]

def test_move_history_in_a_date_range_page_by_page(books):
    report = move_history(books.session, books.scope(), date_from=JAN(6), date_to=JAN(10))
    assert rows(report, "date", "reference", "code", "source", "destination", "quantity", "value") == [
        (JAN(7), "MAD/IN/00002", "TORN", "Virtual locations/Suppliers", "Stock/Shelf", D(5), D("15.00")),
        (JAN(7), "MAD/IN/00003", "PINT", "Virtual locations/Suppliers", "MAD/Stock", D(7), D("10.50")),
        (JAN(9), "BCN/IN/00001", "PINT", "Virtual locations/Suppliers", "BCN/Stock", D(3), D("4.50")),
        (JAN(10), "MAD/OUT/00001", "TORN", "MAD/Stock", "Virtual locations/Customers", D(4), D("8.00")),
    ]
    madrid_screws = move_history(books.session, books.scope(warehouse_id=books.shop.warehouse.id,
                                                            category_id=books.hardware.id))
    assert rows(madrid_screws, "date", "quantity") == [(JAN(5), D(10)), (JAN(7), D(5)), (JAN(10), D(4))]
    second = move_history(books.session, books.scope(), page=2, page_size=2)
    assert (second.page, second.pages, rows(second, "date")) == (2, 3, [(JAN(7),), (JAN(9),)])
    with pytest.raises(ValidationError) as error:
        move_history(books.session, books.scope(), date_from=JAN(10), date_to=JAN(6))
    assert error.value.field == "date_from"


def test_stock_over_time_is_the_quantity_at_the_end_of_each_day(books):
    report = stock_over_time(books.session, books.scope(product_id=books.screw), date_from=JAN(4),
                             date_to=JAN(10))
    assert rows(report, "day", "change", "quantity") == [
        (JAN(4), D(0), D(0)), (JAN(5), D(10), D(10)), (JAN(6), D(0), D(10)), (JAN(7), D(5), D(15)),
        (JAN(8), D(0), D(15)), (JAN(9), D(0), D(15)), (JAN(10), D(-4), D(11))]
    later = stock_over_time(books.session, books.scope(product_id=books.screw, location_id=books.shelf.id),
                            date_from=JAN(8), date_to=JAN(9))
    assert rows(later, "quantity") == [(D(5),), (D(5),)]  # what came before the range is the opening
    with pytest.raises(ValidationError) as error:
        stock_over_time(books.session, books.scope(), date_from=JAN(4), date_to=JAN(10))
    assert error.value.field == "product_id"


def test_exports_keep_the_figures(books):
    report = valuation_at(books.session, books.scope(), at=JAN(31))
    header, *lines = list(csv.reader(io.StringIO(to_csv(report).decode("utf-8-sig"))))
    assert header == ["Code", "Product", "Unit", "Quantity", "Unit cost", "Value"]
    assert lines == [["PINT", "Paint", "Unit", "10.0000", "1.500000", "15.00"],
                     ["TORN", "Screw", "Unit", "11.0000", "2.454545", "27.00"], ["Total", "", "", "", "", "42.00"]]
    sheet = load_workbook(io.BytesIO(to_xlsx(stock_on_hand(books.session, books.scope())))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4)]
    assert [line[5:] for line in values] == [[3, 0, 3], [7, 0, 7], [6, 6, 0], [5, 0, 5]]


def test_reports_need_stock_access_and_see_only_the_user_s_companies(books):
    db = books.shop.db
    stranger = db.as_user(db.user("ventas", groups=["products.group_user"]))
    with pytest.raises(AccessDenied):
        stock_on_hand(stranger, books.scope())
    other = db.company("Otra")
    elsewhere = db.as_user(db.user("almacen", groups=["stock.group_user"], companies=[other]))
    assert stock_on_hand(elsewhere, books.scope()).rows == []
    assert valuation_at(elsewhere, books.scope(), at=JAN(31)).rows == []
    clerk = db.as_user(db.user("mozo", groups=["stock.group_user"]))
    assert len(stock_on_hand(clerk, books.scope()).rows) == 4


def test_with_stock_installed_alone_the_reports_the_hook_and_the_job_work(fresh_url, catalog):
    engine = initialized_database(fresh_url, catalog, ["stock"])
    try:
        registry = Lifecycle(engine, catalog).registry()
        assert set(registry.installed) == {"products", "stock"}
        with actor_session(make_session_factory(engine), registry, None) as session:
            company_id = 1
            warehouse = create_warehouse(session, company_id, code="MI", name="Milano")
            bolt = create_product(session, company_id, code="BULL", name="Bullone", cost=D("0.40")).id
            receipt = create_transfer(session, company_id, kind="receipt", warehouse_id=warehouse.id,
                                      lines=[{"product_id": bolt, "quantity": D(8)}])
            move_services.done(session, receipt.moves, date=dt.datetime.combine(JAN(20), dt.time(9)))
            scope = Scope(company_id)
            assert rows(stock_on_hand(session, scope), "code", "quantity") == [("BULL", D(8))]
            assert rows(valuation_at(session, scope, at=JAN(20)), "quantity") == [(D(8),)]
            found = registry.hook.product_availability(session=session, company_id=company_id, product_ids=[bolt],
                                                       date=TODAY)
            assert (found[bolt].on_hand, found[bolt].forecast, found[bolt].unit_cost) == (D(8), D(8), D("0.40"))
            create_rule(session, company_id, product_id=bolt, warehouse_id=warehouse.id, min_quantity=D(10),
                        max_quantity=D(24), multiple=D(6))
            assert len(evaluate_rules(session)) == 1
            session.commit()
    finally:
        engine.dispose()
