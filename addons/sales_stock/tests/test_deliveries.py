"""A confirmed sales order makes its delivery; what the warehouse delivers (and gets back) flows back to the
order's lines; cancelling the order cancels what was not delivered and says what was."""
import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from addons.contacts.services import create_partner
from addons.products.models import SERVICE
from addons.products.services import create_product
from addons.products.units import unit_by_code
from addons.sales.models import CANCELLED as ORDER_CANCELLED
from addons.sales.services.orders import cancel_order, record_delivered
from addons.sales.services.quotes import confirm_quote, create_quote
from addons.sales_stock.models import SaleDelivery, SaleWarehouse
from addons.sales_stock.panels import panels
from addons.stock.models import StockMove, Transfer
from addons.stock.models.moves import CANCELLED, DELIVERY, DONE, RECEIPT
from addons.stock.services.setup import create_warehouse, warehouse_locations
from addons.stock.services.transfers import create_transfer, process_transfer, return_transfer
from core.errors import ValidationError

DAY = dt.date(2027, 3, 15)


@pytest.fixture
def shop(db):
    system = db.system()
    company = db.main_company
    madrid = create_warehouse(system, company.id, code="MAD", name="Madrid")
    bilbao = create_warehouse(system, company.id, code="BIL", name="Bilbao")
    bolts = create_product(system, company.id, code="BOLT", name="Bolt M6", list_price=Decimal("0.50"))
    advice = create_product(system, company.id, code="ADVICE", name="Advice", kind=SERVICE,
                            uom_id=unit_by_code(system, "hour").id, list_price=Decimal(50))
    for warehouse in (madrid, bilbao):
        receipt = create_transfer(system, company.id, kind=RECEIPT, warehouse_id=warehouse.id,
                                  lines=[{"product_id": bolts.id, "quantity": Decimal(100)}])
        process_transfer(system, receipt)
    customer = create_partner(system, company.id, name="Ferretería Ibérica S.L.", is_company=True)
    system.commit()
    ana = db.user("ana", groups=["sales.group_salesperson"])
    clerk = db.user("clerk", groups=["stock.group_user"])
    return SimpleNamespace(db=db, company=company, madrid=madrid, bilbao=bilbao, bolts=bolts, advice=advice,
                           customer=customer, box=unit_by_code(system, "box12"), ana_user=ana,
                           ana=db.as_user(ana), clerk_user=clerk, clerk=db.as_user(clerk))


def sold(shop, *lines, warehouse=None):
    """A confirmed order of ``lines`` (product, quantity, unit or None), by a salesperson without stock rights."""
    order = create_quote(shop.ana, shop.company.id, partner_id=shop.customer.id, date_order=DAY, lines=[
        {"product_id": product.id, "quantity": quantity, **({"uom_id": unit.id} if unit else {})}
        for product, quantity, unit in lines])
    if warehouse is not None:
        shop.ana.add(SaleWarehouse(order_id=order.id, warehouse_id=warehouse.id))
    confirm_quote(shop.ana, order, today=DAY)
    shop.ana.commit()
    return order


def deliveries(session, order) -> list[Transfer]:
    return list(session.scalars(select(Transfer).join(SaleDelivery, SaleDelivery.transfer_id == Transfer.id)
                                .where(SaleDelivery.order_id == order.id).order_by(Transfer.id)))


def delivered(session, order) -> list[Decimal]:
    session.expire_all()
    return [line.qty_delivered for line in order.lines]


def test_confirming_delivers_the_goods_from_the_first_warehouse_and_doing_it_fills_the_lines(shop):
    order = sold(shop, (shop.bolts, 2, shop.box), (shop.advice, 3, None), (shop.bolts, 5, None))
    [delivery] = deliveries(shop.clerk, order)
    assert (delivery.kind, delivery.origin, delivery.warehouse_id, delivery.state) == (
        DELIVERY, order.number, shop.madrid.id, "ready")
    assert delivery.source_location_id == warehouse_locations(shop.clerk, shop.madrid)[1].id
    assert [(move.product_id, move.quantity, move.uom_id, move.product_quantity) for move in delivery.moves] == [
        (shop.bolts.id, Decimal(2), shop.box.id, Decimal(24)), (shop.bolts.id, Decimal(5), shop.bolts.uom_id,
                                                               Decimal(5))]  # the service is not moved
    process_transfer(shop.clerk, delivery)
    shop.clerk.commit()
    assert delivered(shop.ana, order) == [Decimal(2), Decimal(0), Decimal(5)]


def test_the_order_says_where_its_goods_leave_from(shop):
    order = sold(shop, (shop.bolts, 4, None), warehouse=shop.bilbao)
    assert [delivery.warehouse_id for delivery in deliveries(shop.clerk, order)] == [shop.bilbao.id]


def test_a_partial_delivery_leaves_a_backorder_that_delivers_the_rest(shop):
    order = sold(shop, (shop.bolts, 2, shop.box), (shop.bolts, 5, None))
    [delivery] = deliveries(shop.clerk, order)
    boxes, units = delivery.moves
    backorder, _warnings = process_transfer(shop.clerk, delivery, quantities={boxes.id: Decimal(1), units.id: 0})
    shop.clerk.commit()
    assert backorder.backorder_of_id == delivery.id
    assert delivered(shop.ana, order) == [Decimal(1), Decimal(0)]
    assert [transfer.name for transfer in deliveries(shop.clerk, order)] == [delivery.name]  # not done: not yet linked
    assert [line[0] for line in panels(shop.ana, _actor(shop.ana), order)[0].lines] == [delivery.name, backorder.name]
    process_transfer(shop.clerk, backorder)
    shop.clerk.commit()
    assert delivered(shop.ana, order) == [Decimal(2), Decimal(5)]


def test_goods_returned_by_the_customer_are_no_longer_delivered(shop):
    order = sold(shop, (shop.bolts, 3, shop.box))
    [delivery] = deliveries(shop.clerk, order)
    process_transfer(shop.clerk, delivery)
    back = return_transfer(shop.clerk, delivery, quantities={delivery.moves[0].id: Decimal(1)})
    process_transfer(shop.clerk, back)
    shop.clerk.commit()
    assert back.kind == RECEIPT
    assert delivered(shop.ana, order) == [Decimal(2)]


def test_cancelling_an_order_cancels_what_was_not_delivered_and_names_the_delivery_that_was(shop):
    order = sold(shop, (shop.bolts, 10, None))
    [delivery] = deliveries(shop.clerk, order)
    backorder, _warnings = process_transfer(shop.clerk, delivery, quantities={delivery.moves[0].id: Decimal(4)})
    shop.clerk.commit()
    notes = cancel_order(shop.ana, order)
    shop.ana.commit()
    assert order.state == ORDER_CANCELLED
    assert notes == [f"Delivery {delivery.name} is done: return the goods to take them back."]
    shop.clerk.expire_all()
    assert (backorder.state, [move.state for move in backorder.moves]) == (CANCELLED, [CANCELLED])
    assert delivered(shop.ana, order) == [Decimal(4)]  # what was delivered stays


def test_cancelling_an_order_not_delivered_yet_cancels_its_delivery_silently(shop):
    order = sold(shop, (shop.bolts, 10, None))
    notes = cancel_order(shop.ana, order)
    shop.ana.commit()
    assert notes == []
    assert [delivery.state for delivery in deliveries(shop.clerk, order)] == [CANCELLED]
    assert shop.clerk.scalar(select(StockMove.reserved).where(
        StockMove.transfer_id == deliveries(shop.clerk, order)[0].id)) == 0


def test_an_order_of_services_only_has_no_delivery_and_no_panel(shop):
    order = sold(shop, (shop.advice, 3, None))
    assert deliveries(shop.clerk, order) == []
    assert panels(shop.ana, _actor(shop.ana), order) == ()


def test_the_salesperson_sees_the_deliveries_but_only_stock_users_get_the_link(shop):
    order = sold(shop, (shop.bolts, 1, None))
    [delivery] = deliveries(shop.clerk, order)
    [panel] = panels(shop.ana, _actor(shop.ana), order)
    assert (panel.lines, panel.endpoint) == (((delivery.name, "Ready"),), None)
    stock_manager = shop.db.as_user(shop.db.user("boss", groups=["stock.group_manager", "sales.group_manager"]))
    [panel] = panels(stock_manager, _actor(stock_manager), order)
    assert (panel.endpoint, panel.endpoint_args) == ("stock.transfer_list", (("q", order.number),))
    assert DONE not in {line[1] for line in panel.lines}


def _actor(session):
    return session.info["actor"]


def test_goods_are_delivered_by_deliveries_a_service_is_entered_by_hand(shop):
    order = sold(shop, (shop.bolts, 5, None), (shop.advice, 3, None))
    goods, service = order.lines
    with pytest.raises(ValidationError, match="comes from deliveries"):
        record_delivered(shop.ana, order, {goods.id: "5"})
    shop.ana.rollback()
    record_delivered(shop.ana, order, {service.id: "3"})
    shop.ana.commit()
    assert delivered(shop.ana, order) == [Decimal(0), Decimal(3)]
