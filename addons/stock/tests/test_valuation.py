"""Valuation: FIFO, moving average, last purchase price and standard cost, each with figures worked out by hand;
negative stock; back-dated moves; recompute; two companies kept apart.

The moves are written done by hand (as the done path leaves them) and valued
with ``value_done_moves``, so each test says exactly which moves exist when.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from sqlalchemy import event, select

from addons.products.models import Product
from addons.products.services import create_category, create_product, update_product
from addons.stock.models import CategoryStock, CostLayer, ProductStock, StockMove, ValuationEntry, ValuationState
from addons.stock.models.moves import DONE
from addons.stock.services.moves import create_moves, done
from addons.stock.services.setup import create_warehouse, stock_settings, warehouse_locations
from addons.stock.services.transfers import confirm_transfer, create_transfer, process_transfer, return_transfer
from addons.stock.valuation.services import recompute_cost, stock_value_at, value_done_moves
from core.errors import AccessDenied, ValidationError


def day(number: int) -> dt.datetime:
    return dt.datetime(2026, 3, number, 12, 0)


class Books:
    """One company's warehouse, and moves done into and out of it on given days."""

    def __init__(self, session, company_id: int, code: str = "MAD"):
        self.session, self.company_id = session, company_id
        self.warehouse = warehouse = create_warehouse(session, company_id, code=code, name=code)
        self.stock = warehouse_locations(session, warehouse)[1].id
        settings = stock_settings(session, company_id)
        self.supplier, self.customer = settings.supplier_location_id, settings.customer_location_id
        self.inventory = settings.inventory_location_id

    def product(self, code: str, method: str | None = None, cost: str = "0", negative: bool = False) -> Product:
        product = create_product(self.session, self.company_id, code=code, name=code, cost=D(cost))
        self.session.add(ProductStock(product_id=product.id, valuation_method=method, allow_negative=negative))
        self.session.flush()
        return product

    def move(self, product, quantity, source, dest, on: int, cost=None, valued=True) -> StockMove:
        """A move done on day ``on`` (by the done path, which values it); ``valued=False``: written done by
        hand, as a move done before valuation was there."""
        line = {"product_id": product.id, "quantity": D(quantity), "source_location_id": source,
                "dest_location_id": dest, "unit_cost": None if cost is None else D(cost)}
        (move_id,) = create_moves(self.session, self.company_id, [line])
        move = self.session.get(StockMove, move_id)
        if valued:
            done(self.session, [move], date=day(on))
        else:
            move.state, move.date = DONE, day(on)
            self.session.flush()
        return move

    def receive(self, product, quantity, cost, on: int, **options) -> StockMove:
        return self.move(product, quantity, self.supplier, self.stock, on, cost, **options)

    def deliver(self, product, quantity, on: int, **options) -> StockMove:
        return self.move(product, quantity, self.stock, self.customer, on, **options)

    def cost(self, move: StockMove) -> D:
        return self.session.scalar(select(StockMove.unit_cost).where(StockMove.id == move.id))

    def totals(self, product) -> tuple[D, D, D]:
        state = self.session.scalars(select(ValuationState).where(
            ValuationState.product_id == product.id, ValuationState.company_id == self.company_id)).one()
        return state.quantity, state.value, state.cost

    def entries(self, product) -> list[tuple]:
        return [(kind, quantity, value) for kind, quantity, value in self.session.execute(
            select(ValuationEntry.kind, ValuationEntry.quantity, ValuationEntry.value)
            .where(ValuationEntry.product_id == product.id).order_by(ValuationEntry.id))]

    def ledger_total(self, product) -> tuple[D, D]:
        entries = self.entries(product)
        return sum((q for _k, q, _v in entries), D(0)), sum((v for _k, _q, v in entries), D(0))

    def product_cost(self, product) -> D:
        return self.session.scalar(select(Product.cost).where(Product.id == product.id))


@pytest.fixture
def books(db) -> Books:
    manager = db.user("jefe", groups=["stock.group_manager", "products.group_manager"])
    return Books(db.as_user(manager), db.main_company.id)


def test_fifo_takes_the_oldest_layers_and_the_cost_is_what_is_left(books):
    bolt = books.product("BOLT", "fifo")
    books.receive(bolt, 10, "5.00", 1)
    books.receive(bolt, 10, "6.00", 2)
    first = books.deliver(bolt, 15, 3)
    assert books.cost(first) == D("5.333333")  # 10 x 5 + 5 x 6 = 80 for 15
    assert books.totals(bolt)[:2] == (D(5), D(30))  # 5 left at 6
    assert books.product_cost(bolt) == D(6)
    remaining = books.session.scalars(select(CostLayer.remaining).where(CostLayer.product_id == bolt.id)
                                      .order_by(CostLayer.id)).all()
    assert remaining == [D(0), D(5)]


def test_fifo_negative_stock_issues_at_the_last_receipt_cost_and_the_next_receipt_settles_it(books):
    bolt = books.product("BOLT", "fifo", negative=True)
    books.receive(bolt, 10, "5.00", 1)
    books.receive(bolt, 10, "6.00", 2)
    books.deliver(bolt, 15, 3)
    short = books.deliver(bolt, 8, 4)  # 5 at 6 from the layer, 3 more than there is, at 6 (the last receipt)
    assert books.cost(short) == D(6)
    assert books.totals(bolt)[:2] == (D(-3), D(-18))
    books.receive(bolt, 5, "7.00", 5)  # settles the 3 at 7 instead of 6: 3 more of cost; 2 left at 7
    assert books.entries(bolt)[-2:] == [("in", D(5), D(35)), ("settle", D(0), D(-3))]
    assert books.totals(bolt) == (D(2), D(14), D(7))
    assert books.ledger_total(bolt) == (D(2), D(14))
    assert books.product_cost(bolt) == D(7)


def test_moving_average_and_its_negative_stock_rule(books):
    nut = books.product("NUT", "average", negative=True)
    books.receive(nut, 10, "5.00", 1)
    books.receive(nut, 10, "8.00", 2)  # 20 for 130: 6.5
    assert books.cost(books.deliver(nut, 5, 3)) == D("6.5")
    assert books.totals(nut)[:2] == (D(15), D("97.5"))
    beyond = books.deliver(nut, 20, 4)  # 5 more than there is, all at the average
    assert books.cost(beyond) == D("6.5")
    assert books.totals(nut) == (D(-5), D("-32.5"), D("6.5"))
    books.receive(nut, 10, "7.00", 5)  # the 5 missing cost 7, not 6.5 (2.5 more); the average is now 7
    assert books.entries(nut)[-2:] == [("in", D(10), D(70)), ("settle", D(0), D("-2.5"))]
    assert books.totals(nut) == (D(5), D(35), D(7))
    assert books.product_cost(nut) == D(7)


def test_an_issue_that_empties_the_stock_takes_the_value_left(books):
    nut = books.product("NUT", "average")
    books.receive(nut, 1, "1.00", 1)
    books.receive(nut, 2, "2.00", 2)  # 3 for 5: 1.666666...
    assert books.cost(books.deliver(nut, 1, 3)) == D("1.666667")
    last = books.deliver(nut, 2, 4)
    assert books.entries(nut)[-1] == ("out", D(-2), D("-3.333333"))
    assert books.cost(last) == D("1.666667")
    assert books.totals(nut)[:2] == (D(0), D(0))


def test_last_purchase_price_revalues_the_stock_on_hand(books):
    oil = books.product("OIL", "last", cost="4.00")
    books.receive(oil, 10, "5.00", 1)
    books.deliver(oil, 4, 2)
    books.receive(oil, 4, "6.00", 3)  # the 6 on hand go from 5 to 6
    assert books.entries(oil)[-2:] == [("in", D(4), D(24)), ("revalue", D(0), D(6))]
    returned = books.move(oil, 2, books.customer, books.stock, 4, cost="3.00")  # not a purchase: at the cost
    assert books.cost(returned) == D(6)
    assert books.cost(books.deliver(oil, 2, 5)) == D(6)
    assert books.totals(oil) == (D(10), D(60), D(6))
    assert books.product_cost(oil) == D(6)


def test_standard_cost_values_every_move_and_a_new_standard_revalues_the_stock(books):
    gear = books.product("GEAR", "standard", cost="10.00")
    receipt = books.receive(gear, 5, "12.00", 1)  # bought at 12, valued at the standard
    assert books.cost(receipt) == D(10)
    books.deliver(gear, 2, 2)
    update_product(books.session, gear, cost=D("11.00"))
    books.session.flush()
    assert books.entries(gear)[-1] == ("revalue", D(0), D(3))
    assert books.totals(gear) == (D(3), D(33), D(11))
    assert books.cost(books.deliver(gear, 3, 3)) == D(11)
    assert books.ledger_total(gear) == (D(0), D(0))


def test_a_back_dated_receipt_revalues_the_fifo_deliveries_after_it(books):
    bolt = books.product("BOLT", "fifo", negative=True)
    books.receive(bolt, 10, "5.00", 1)
    first = books.deliver(bolt, 6, 3)
    second = books.deliver(bolt, 6, 5)  # 4 at 5, 2 short at 5
    assert books.totals(bolt)[:2] == (D(-2), D(-10))
    late = books.receive(bolt, 4, "8.00", 2, valued=False)
    changes = value_done_moves(books.session, [late])
    # replayed in date order: day 2 brings 4 at 8; day 3 takes 6 at 5; day 5 takes 4 at 5 and 2 at 8 = 36
    assert [(change.move_id, change.old, change.new) for change in changes] == [(second.id, D(5), D(6))]
    assert books.cost(first) == D(5)
    assert books.totals(bolt) == (D(2), D(16), D(8))
    assert books.ledger_total(bolt) == (D(2), D(16))
    company = books.company_id
    assert stock_value_at(books.session, company, day(4), [bolt.id]) == {bolt.id: (D(8), D(52))}  # 50 + 32 - 30
    assert stock_value_at(books.session, company, day(6), [bolt.id]) == {bolt.id: (D(2), D(16))}
    open_layers = books.session.execute(select(CostLayer.unit_cost, CostLayer.remaining).where(
        CostLayer.product_id == bolt.id, CostLayer.remaining != 0)).all()
    assert open_layers == [(D(8), D(2))]


def test_a_back_dated_receipt_revalues_the_average_after_it(books):
    nut = books.product("NUT", "average")
    books.receive(nut, 10, "5.00", 1)
    first = books.deliver(nut, 5, 3)
    books.receive(nut, 5, "8.00", 4)  # 10 for 65: 6.5
    second = books.deliver(nut, 10, 5)
    assert books.cost(second) == D("6.5")
    books.receive(nut, 10, "2.00", 2)  # done today, dated day 2
    # day 2: 20 for 70 (3.5); day 3: 5 out at 3.5; day 4: 20 for 92.5 (4.625); day 5: 10 out at 4.625
    assert (books.cost(first), books.cost(second)) == (D("3.5"), D("4.625"))
    assert books.totals(nut) == (D(10), D("46.25"), D("4.625"))
    assert books.ledger_total(nut) == (D(10), D("46.25"))


def test_recompute_replays_the_moves_under_the_current_method_and_says_what_changed(books):
    bolt = books.product("BOLT", "fifo")
    books.receive(bolt, 10, "5.00", 1)
    books.receive(bolt, 10, "6.00", 2)
    delivery = books.deliver(bolt, 15, 3)
    unvalued = books.deliver(bolt, 2, 4, valued=False)
    books.session.get(ProductStock, bolt.id).valuation_method = "average"
    books.session.flush()
    changes = recompute_cost(books.session, bolt)
    assert [(change.move_id, change.old, change.new) for change in changes] == [
        (delivery.id, D("5.333333"), D("5.5")), (unvalued.id, None, D("5.5"))]
    assert books.totals(bolt) == (D(3), D("16.5"), D("5.5"))
    assert books.ledger_total(bolt) == (D(3), D("16.5"))
    assert recompute_cost(books.session, bolt) == []


def test_recompute_is_for_stock_managers(db, books):
    bolt = books.product("BOLT", "fifo")
    clerk = db.as_user(db.user("mozo", groups=["stock.group_user"]))
    with pytest.raises(AccessDenied):
        recompute_cost(clerk, clerk.get(Product, bolt.id))


def test_two_companies_are_valued_apart(db, books):
    other_company = db.company("Nuova S.r.l.")
    manager = db.user("capo", groups=["stock.group_manager", "products.group_manager"], companies=[other_company])
    other = Books(db.as_user(manager), other_company.id, code="MIL")
    here, there = books.product("BOLT", "average"), other.product("BULLONE", "average")
    books.receive(here, 10, "5.00", 1)
    other.receive(there, 10, "9.00", 1)
    moves = [books.deliver(here, 2, 2, valued=False), other.deliver(there, 3, 2, valued=False)]
    value_done_moves(db.system(), moves)  # one batch, two companies
    assert books.totals(here) == (D(8), D(40), D(5))
    assert other.totals(there) == (D(7), D(63), D(9))
    assert stock_value_at(books.session, books.company_id, day(3)) == {here.id: (D(8), D(40))}
    assert stock_value_at(other.session, other.company_id, day(3)) == {there.id: (D(7), D(63))}
    assert stock_value_at(other.session, books.company_id, day(3)) == {}  # not one of its companies


def test_internal_moves_carry_the_cost_and_change_no_value(books):
    bolt = books.product("BOLT", "fifo")
    books.receive(bolt, 4, "5.00", 1)
    transit = stock_settings(books.session, books.company_id).transit_location_id
    inner = books.move(bolt, 1, books.stock, transit, 2)
    assert books.cost(inner) == D(5)
    assert books.totals(bolt)[:2] == (D(4), D(20))


def test_a_product_naming_no_method_takes_its_categorys(books):
    category = create_category(books.session, books.company_id, name="Oils")
    books.session.add(CategoryStock(category_id=category.id, valuation_method="average"))
    oil = create_product(books.session, books.company_id, code="OIL", name="Oil", category_id=category.id)
    books.receive(oil, 1, "2.00", 1)
    books.receive(oil, 1, "4.00", 2)
    assert books.cost(books.deliver(oil, 1, 3)) == D(3)  # FIFO would say 2


def test_a_negative_unit_cost_is_refused_and_nothing_written(books):
    bolt = books.product("BOLT")
    line = {"product_id": bolt.id, "quantity": D(1), "source_location_id": books.supplier,
            "dest_location_id": books.stock, "unit_cost": D(-1)}
    with pytest.raises(ValidationError, match="the unit cost cannot be negative") as error:
        create_moves(books.session, books.company_id, [line])
    assert error.value.field == "unit_cost"
    assert books.session.scalar(select(StockMove.id).where(StockMove.product_id == bolt.id)) is None


def test_a_receipts_cost_stays_with_its_backorder_and_a_customer_return_comes_back_at_the_delivery_cost(books):
    bolt = books.product("BOLT", "fifo")
    receipt = create_transfer(books.session, books.company_id, kind="receipt", warehouse_id=books.warehouse.id,
                              lines=[{"product_id": bolt.id, "quantity": D(10), "unit_cost": D("5.00")}])
    confirm_transfer(books.session, receipt)
    later, _warnings = process_transfer(books.session, receipt, quantities={receipt.moves[0].id: D(4)})
    assert later.moves[0].unit_cost == D(5)
    process_transfer(books.session, later)
    books.receive(bolt, 2, "8.00", 1)  # dated 1 March: older than the transfer's, done today
    delivery = create_transfer(books.session, books.company_id, kind="delivery", warehouse_id=books.warehouse.id,
                               lines=[{"product_id": bolt.id, "quantity": D(11)}])
    confirm_transfer(books.session, delivery)
    process_transfer(books.session, delivery)
    assert books.cost(delivery.moves[0]) == D("5.545455")  # 2 x 8 + 9 x 5 = 61 for 11
    back = return_transfer(books.session, delivery, quantities={delivery.moves[0].id: D(1)})
    process_transfer(books.session, back)
    assert books.cost(back.moves[0]) == D("5.545455")
    assert books.totals(bolt)[:2] == (D(2), D("10.545455"))  # 1 at 5, 1 back at 5.545455


def test_the_recompute_button_is_on_a_products_page_for_stock_managers_and_says_what_changed(web):
    session = web.db.system()
    books = Books(session, web.db.main_company.id)
    bolt = books.product("BOLT", "fifo")
    books.receive(bolt, 10, "5.00", 1)
    books.receive(bolt, 10, "6.00", 2)
    delivery = books.deliver(bolt, 15, 3)
    session.get(ProductStock, bolt.id).valuation_method = "average"
    session.commit()
    web.db.user("mozo", groups=["stock.group_user"])
    clerk = web.client()
    clerk.login("mozo")
    page = f"/products/products/{bolt.id}"
    assert "Recompute cost" not in clerk.get(page).get_data(as_text=True)
    assert clerk.post(f"/stock/products/{bolt.id}/recompute-cost").status_code in (302, 403)
    assert session.scalar(select(StockMove.unit_cost).where(StockMove.id == delivery.id)) == D("5.333333")
    web.db.user("jefe", groups=["stock.group_manager"])
    manager = web.client()
    manager.login("jefe")
    assert "Recompute cost" in manager.get(page).get_data(as_text=True)
    done_page = manager.post(f"/stock/products/{bolt.id}/recompute-cost")
    assert done_page.headers["Location"].endswith(page)
    shown = manager.get(page).get_data(as_text=True)
    assert f"Cost recomputed: 1 move changed: move {delivery.id}: 5.333333 → 5.5." in shown


def supplier_receipt(books, product, quantity, cost):
    receipt = create_transfer(books.session, books.company_id, kind="receipt", warehouse_id=books.warehouse.id,
                              lines=[{"product_id": product.id, "quantity": D(quantity), "unit_cost": D(cost)}])
    process_transfer(books.session, receipt)
    return receipt


def open_layers(books, product) -> list[tuple]:
    return books.session.execute(select(CostLayer.unit_cost, CostLayer.remaining).where(
        CostLayer.product_id == product.id, CostLayer.remaining != 0).order_by(CostLayer.id)).all()


def test_a_return_to_the_supplier_takes_out_its_own_receipt_s_layer_not_the_oldest(books):
    bolt = books.product("BOLT", "fifo")
    supplier_receipt(books, bolt, 10, "5.00")
    dear = supplier_receipt(books, bolt, 10, "8.00")
    back = return_transfer(books.session, dear, quantities={dear.moves[0].id: D(4)})
    process_transfer(books.session, back)
    assert books.cost(back.moves[0]) == D(8)  # the oldest layer would say 5
    assert open_layers(books, bolt) == [(D(5), D(10)), (D(8), D(6))]
    assert books.totals(bolt)[:2] == (D(16), D(98))  # 10 x 5 + 6 x 8
    assert books.entries(bolt)[-1] == ("out", D(-4), D(-32))
    assert recompute_cost(books.session, bolt) == []  # replaying the history says the same
    assert books.cost(back.moves[0]) == D(8) and books.totals(bolt)[:2] == (D(16), D(98))


def test_a_return_whose_receipt_was_partly_sold_takes_what_is_left_of_it_then_the_oldest(books):
    bolt = books.product("BOLT", "fifo")
    supplier_receipt(books, bolt, 10, "5.00")
    dear = supplier_receipt(books, bolt, 10, "8.00")
    supplier_receipt(books, bolt, 10, "6.00")
    delivery = create_transfer(books.session, books.company_id, kind="delivery", warehouse_id=books.warehouse.id,
                               lines=[{"product_id": bolt.id, "quantity": D(18)}])
    process_transfer(books.session, delivery)
    assert books.cost(delivery.moves[0]) == D("6.333333")  # 10 x 5 + 8 x 8 = 114 for 18
    back = return_transfer(books.session, dear, quantities={dear.moves[0].id: D(4)})
    process_transfer(books.session, back)
    assert books.cost(back.moves[0]) == D(7)  # the 2 left at 8, then 2 of the oldest open layer at 6
    assert open_layers(books, bolt) == [(D(6), D(8))]
    assert books.totals(bolt)[:2] == (D(8), D(48))


def set_method(books, product, method):
    """As the product form does: the stock side row's method changed, then flushed."""
    books.session.get(ProductStock, product.id).valuation_method = method
    books.session.flush()


def test_a_product_moved_from_average_to_fifo_with_stock_gets_one_layer_of_what_it_holds(books):
    bolt = books.product("BOLT", "average")
    books.receive(bolt, 10, "5.00", 1)
    books.receive(bolt, 10, "8.00", 2)
    set_method(books, bolt, "fifo")
    assert open_layers(books, bolt) == [(D("6.5"), D(20))]
    assert books.totals(bolt) == (D(20), D(130), D("6.5"))
    assert books.cost(books.deliver(bolt, 5, 3)) == D("6.5")
    books.receive(bolt, 10, "9.00", 4)
    assert [kind for kind, _q, _v in books.entries(bolt)] == ["in", "in", "out", "in"]  # nothing to settle
    assert open_layers(books, bolt) == [(D("6.5"), D(15)), (D(9), D(10))]
    assert books.totals(bolt)[:2] == (D(25), D("187.5")) == books.ledger_total(bolt)


def test_leaving_fifo_closes_its_layers_and_coming_back_opens_one_at_the_cost_then(books):
    bolt = books.product("BOLT", "fifo")
    books.receive(bolt, 10, "5.00", 1)
    books.receive(bolt, 10, "8.00", 2)
    set_method(books, bolt, "average")
    assert open_layers(books, bolt) == []
    assert books.cost(books.deliver(bolt, 10, 3)) == D("6.5")  # FIFO would say 5
    set_method(books, bolt, "fifo")
    assert open_layers(books, bolt) == [(D("6.5"), D(10))]
    assert books.cost(books.deliver(bolt, 10, 4)) == D("6.5")
    assert open_layers(books, bolt) == [] and books.totals(bolt)[:2] == (D(0), D(0))


def test_a_product_moved_to_standard_cost_keeps_its_value_at_its_cost_and_a_different_standard_revalues(books):
    bolt = books.product("BOLT", "fifo")
    books.receive(bolt, 10, "5.00", 1)
    books.receive(bolt, 10, "8.00", 2)
    assert books.product_cost(bolt) == D("6.5")
    set_method(books, bolt, "standard")
    assert books.totals(bolt) == (D(20), D(130), D("6.5")) and open_layers(books, bolt) == []
    update_product(books.session, bolt, cost=D(7))
    assert books.totals(bolt)[:2] == (D(20), D(140)) and books.entries(bolt)[-1] == ("revalue", D(0), D(10))
    books.session.get(ProductStock, bolt.id).valuation_method = "average"
    bolt.cost = D(9)  # the same save: the method goes first, at what the stock is worth
    books.session.flush()
    assert books.totals(bolt)[:2] == (D(20), D(140)) == books.ledger_total(bolt)
    assert books.product_cost(bolt) == D(7)  # what the average is
    assert books.cost(books.deliver(bolt, 2, 3)) == D(7)


def test_a_category_moved_to_fifo_revalues_its_products_with_stock(books):
    category = create_category(books.session, books.company_id, name="Oils")
    rule = CategoryStock(category_id=category.id, valuation_method="average")
    books.session.add(rule)
    oil = create_product(books.session, books.company_id, code="OIL", name="Oil", category_id=category.id)
    books.receive(oil, 1, "2.00", 1)
    books.receive(oil, 1, "4.00", 2)
    rule.valuation_method = "fifo"
    books.session.flush()
    assert open_layers(books, oil) == [(D(3), D(2))]
    assert books.cost(books.deliver(oil, 1, 3)) == D(3)


def test_fifo_reads_the_open_layers_through_their_own_index(books):
    """Deliveries read the open layers only, however many closed ones the history holds: on SQLite, which has no
    statistics to choose by, the read must go through the partial index of open layers."""
    connection = books.session.connection()
    if connection.dialect.name != "sqlite":
        pytest.skip("PostgreSQL chooses its index from its statistics")
    bolt = books.product("BOLT", "fifo")
    books.receive(bolt, 10, "5.00", 1)
    reads = []

    def seen(_conn, _cursor, statement, parameters, _context, _many):
        if "FROM stock_cost_layer" in statement and "ORDER BY" in statement:
            reads.append((statement, parameters))

    event.listen(connection, "before_cursor_execute", seen)
    try:
        books.deliver(bolt, 4, 2)
    finally:
        event.remove(connection, "before_cursor_execute", seen)
    assert reads
    for statement, parameters in reads:
        plan = " ".join(row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters))
        assert "ix_stock_cost_layer_open" in plan, plan
