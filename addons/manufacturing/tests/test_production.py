"""Production orders: each component valued under its own method, operations at the work centre's cost, partial
production, extra consumption, scrap, by-products, and the refusals (short components, a component with no cost,
cancelling after consumption), with stock and its value consistent after each."""
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from addons.manufacturing.models import CANCELLED, CONFIRMED, DONE, PROGRESS, ProductionMove
from addons.manufacturing.services.production import (
    cancel_production,
    confirm_production,
    create_production,
    produce,
    scrap,
)
from addons.stock.models import StockMove, ValuationEntry
from core.errors import ValidationError

D = Decimal


def stock_value(shop, product=None) -> Decimal:
    query = select(func.coalesce(func.sum(ValuationEntry.value), 0))
    if product is not None:
        query = query.where(ValuationEntry.product_id == product.id)
    return D(shop.session.scalar(query))


def order(shop, product, quantity):
    production = create_production(shop.session, shop.company_id, product_id=product.id, quantity=D(quantity),
                                   warehouse_id=shop.warehouse.id)
    return confirm_production(shop.session, production)


def test_the_finished_cost_is_each_component_under_its_method_plus_the_operations(shop, tables):
    before = stock_value(shop)
    production = order(shop, tables.table, 2)
    assert production.state == CONFIRMED and production.name.endswith("/MO/00001")
    # planned at the products' costs: legs 5.50 (FIFO: what is on hand is worth), top 45, screws 0.20;
    # 75 minutes at 60.00
    assert production.planned_unit_cost == (8 * D("5.5") + 2 * 45 + 16 * D("0.2") + 75) / 2
    assert [(line.product_id, line.quantity) for line in production.components] == [
        (tables.leg.id, 8), (tables.top.id, 2), (tables.screw.id, 16)]
    produce(shop.session, production, quantity=D(2))
    assert (production.state, production.quantity_done) == (DONE, 2)
    materials = 8 * D(5) + 2 * D(45) + 16 * D("0.20")  # FIFO's oldest layer; the average; the last price
    labour = D(75)
    assert stock_value(shop, tables.table) == materials + labour
    assert shop.on_hand(tables.table) == 2
    assert (shop.on_hand(tables.leg), shop.on_hand(tables.top), shop.on_hand(tables.screw)) == (12, 4, 184)
    assert stock_value(shop) == before + labour  # the components' value moved into the tables
    (finished,) = [move for move in shop.session.scalars(select(StockMove).join(
        ProductionMove, ProductionMove.move_id == StockMove.id).where(ProductionMove.role == "finished"))]
    assert finished.unit_cost == (materials + labour) / 2


def test_partial_production_keeps_the_rest_reserved_and_the_last_part_consumes_what_is_left(shop, tables):
    production = order(shop, tables.table, 4)
    produce(shop.session, production, quantity=D(1))
    assert (production.state, production.quantity_done) == (PROGRESS, 1)
    assert shop.on_hand(tables.leg) == 16 and shop.on_hand(tables.table) == 1
    reserved = dict(shop.session.execute(select(StockMove.product_id, func.sum(StockMove.reserved)).join(
        ProductionMove, ProductionMove.move_id == StockMove.id).where(
        StockMove.state.in_(("waiting", "ready"))).group_by(StockMove.product_id)).all())
    assert reserved == {tables.leg.id: 12, tables.top.id: 3, tables.screw.id: 24}
    with pytest.raises(ValidationError, match="Only 3 are left to produce."):
        produce(shop.session, production, quantity=D(4))
    produce(shop.session, production, quantity=D(3))
    assert production.state == DONE
    assert [line.quantity_consumed for line in production.components] == [16, 4, 32]
    assert shop.on_hand(tables.table) == 4 and shop.on_hand(tables.leg) == 4


def test_producing_more_than_the_components_on_hand_allow_is_refused_naming_each_short_one(shop, tables):
    production = order(shop, tables.table, 6)  # 24 legs (20 on hand), 6 tops, 48 screws
    value = stock_value(shop)
    with pytest.raises(ValidationError) as error:
        produce(shop.session, production, quantity=D(6))
    assert str(error.value) == ("Not enough components on hand to produce 6 of [TABLE] Product TABLE: "
                                "[LEG] Product LEG: 24 needed, 20 available.")
    assert production.state == CONFIRMED and production.quantity_done == 0
    assert (shop.on_hand(tables.leg), shop.on_hand(tables.table), stock_value(shop)) == (20, 0, value)
    produce(shop.session, production, quantity=D(5))  # what the legs allow
    assert shop.on_hand(tables.table) == 5


def test_a_component_with_no_cost_is_refused_by_name_and_nothing_moves(shop, tables):
    glue = shop.product("GLUE", method="fifo")
    shop.receive(glue, 5, "0")
    chair = shop.product("CHAIR")
    shop.bom(chair, (tables.leg, 4), (glue, 1))
    production = order(shop, chair, 1)
    value = stock_value(shop)
    with pytest.raises(ValidationError, match=r"These components have no cost: \[GLUE\] Product GLUE\. Receive"):
        produce(shop.session, production, quantity=D(1))
    assert (shop.on_hand(glue), shop.on_hand(tables.leg), shop.on_hand(chair)) == (5, 20, 0)
    assert stock_value(shop) == value and production.state == CONFIRMED


def test_extra_consumption_scrap_and_by_products(shop, tables):
    shavings = shop.product("SHAVINGS", uom="kg", method="fifo")
    bom = shop.bom(tables.table, (tables.leg, 4), version=2,
                   byproducts=[{"product_id": shavings.id, "quantity": D("0.5"), "cost_share": D(10)}])
    production = create_production(shop.session, shop.company_id, product_id=tables.table.id, quantity=D(2),
                                   warehouse_id=shop.warehouse.id, bom_id=bom.id)
    confirm_production(shop.session, production)
    scrap(shop.session, production, product_id=tables.leg.id, quantity=D(1))
    assert shop.on_hand(tables.leg) == 19
    produce(shop.session, production, quantity=D(2), extra=[{"product_id": tables.screw.id, "quantity": D(4)}])
    legs = 8 * D(5)  # the scrapped leg and these 8 all come from the first layer, at 5.00
    total = legs + 4 * D("0.20")
    assert stock_value(shop, tables.table) == total * D("0.9")
    assert stock_value(shop, shavings) == total * D("0.1") and shop.on_hand(shavings) == 1
    assert shop.on_hand(tables.screw) == 196
    assert [(line.product_id, line.quantity, line.quantity_consumed) for line in production.components] == [
        (tables.leg.id, 8, 8), (tables.screw.id, 0, 4)]


def test_an_order_that_consumed_components_is_not_cancelled_one_that_did_not_gives_back_its_reservation(
        shop, tables):
    production = order(shop, tables.table, 4)
    produce(shop.session, production, quantity=D(1))
    value = stock_value(shop)
    with pytest.raises(ValidationError, match=r"/MO/00001 has consumed components already: cancelling it"):
        cancel_production(shop.session, production)
    assert production.state == PROGRESS and stock_value(shop) == value
    other = order(shop, tables.table, 2)
    cancel_production(shop.session, other)
    assert other.state == CANCELLED
    reserved = shop.session.scalar(select(func.coalesce(func.sum(StockMove.reserved), 0)).join(
        ProductionMove, ProductionMove.move_id == StockMove.id).where(ProductionMove.production_id == other.id))
    assert reserved == 0


def test_closing_an_order_early_consumes_its_share_and_releases_the_rest(shop, tables):
    production = order(shop, tables.table, 4)
    produce(shop.session, production, quantity=D(1), close=True)
    assert (production.state, production.quantity_done) == (DONE, 1)
    assert [line.quantity_consumed for line in production.components] == [4, 1, 8]
    assert (shop.on_hand(tables.leg), shop.on_hand(tables.table)) == (16, 1)
    reserved = shop.session.scalar(select(func.coalesce(func.sum(StockMove.reserved), 0)).join(
        ProductionMove, ProductionMove.move_id == StockMove.id).where(ProductionMove.production_id == production.id))
    assert reserved == 0
