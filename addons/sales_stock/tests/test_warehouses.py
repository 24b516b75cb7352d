"""A line may leave from its own warehouse: confirming makes one delivery per warehouse, each with its own
backorders; the delivered quantities are counted per warehouse; cancelling cancels what each delivery still
can and names the ones done; the quotation's availability is the line's warehouse's."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from addons.sales.services.orders import cancel_order
from addons.sales.services.quotes import confirm_quote, create_quote, revise_quote, mark_sent, update_quote
from addons.sales_stock.availability import availability_notes
from addons.sales_stock.models import SaleLineWarehouse, SaleWarehouse
from addons.stock.models import StockMove
from addons.stock.models.moves import CANCELLED
from addons.stock.services.transfers import process_transfer
from core.errors import ValidationError

from .test_deliveries import DAY, deliveries, delivered, shop  # noqa: F401  (the fixture)


def ordered(shop, *lines):
    """A quotation of ``lines`` (product, quantity, warehouse or None), by the salesperson."""
    return create_quote(shop.ana, shop.company.id, partner_id=shop.customer.id, date_order=DAY, lines=[
        {"product_id": product.id, "quantity": quantity, **({"warehouse_id": where.id} if where else {})}
        for product, quantity, where in lines])


def test_each_warehouse_gets_its_delivery_and_the_lines_are_counted_per_warehouse(shop):
    order = ordered(shop, (shop.bolts, 10, None), (shop.bolts, 6, shop.bilbao), (shop.advice, 2, shop.bilbao))
    confirm_quote(shop.ana, order, today=DAY)
    shop.ana.commit()
    madrid, bilbao = deliveries(shop.clerk, order)
    assert [(d.warehouse_id, [(m.product_id, m.quantity) for m in d.moves]) for d in (madrid, bilbao)] == [
        (shop.madrid.id, [(shop.bolts.id, Decimal(10))]), (shop.bilbao.id, [(shop.bolts.id, Decimal(6))])]
    assert madrid.origin == bilbao.origin == order.number
    # Bilbao delivers part of its bolts: the rest waits in a backorder of Bilbao's, Madrid's line is untouched
    backorder, _warnings = process_transfer(shop.clerk, bilbao, quantities={bilbao.moves[0].id: Decimal(4)})
    shop.clerk.commit()
    assert (backorder.backorder_of_id, backorder.warehouse_id) == (bilbao.id, shop.bilbao.id)
    assert delivered(shop.ana, order) == [Decimal(0), Decimal(4), Decimal(0)]
    process_transfer(shop.clerk, madrid)
    shop.clerk.commit()
    assert delivered(shop.ana, order) == [Decimal(10), Decimal(4), Decimal(0)]
    process_transfer(shop.clerk, backorder)
    shop.clerk.commit()
    assert delivered(shop.ana, order) == [Decimal(10), Decimal(6), Decimal(0)]
    assert len(deliveries(shop.clerk, order)) == 3  # the backorder, once done, is the order's too


def test_a_line_without_a_warehouse_leaves_from_the_order_s_and_keeps_it(shop):
    order = ordered(shop, (shop.bolts, 3, None), (shop.bolts, 2, shop.madrid))
    shop.ana.add(SaleWarehouse(order_id=order.id, warehouse_id=shop.bilbao.id))
    confirm_quote(shop.ana, order, today=DAY)
    shop.ana.commit()
    assert [d.warehouse_id for d in deliveries(shop.clerk, order)] == [shop.bilbao.id, shop.madrid.id]
    assert [shop.ana.get(SaleLineWarehouse, line.id).warehouse_id for line in order.lines] == [
        shop.bilbao.id, shop.madrid.id]


def test_cancelling_cancels_each_delivery_s_rest_and_names_the_one_done(shop):
    order = ordered(shop, (shop.bolts, 5, None), (shop.bolts, 7, shop.bilbao))
    confirm_quote(shop.ana, order, today=DAY)
    shop.ana.commit()
    madrid, bilbao = deliveries(shop.clerk, order)
    backorder, _warnings = process_transfer(shop.clerk, madrid, quantities={madrid.moves[0].id: Decimal(2)})
    shop.clerk.commit()
    notes = cancel_order(shop.ana, order)
    shop.ana.commit()
    assert notes == [f"Delivery {madrid.name} is done: return the goods to take them back."]
    shop.clerk.expire_all()
    assert [transfer.state for transfer in (bilbao, backorder)] == [CANCELLED, CANCELLED]
    assert shop.clerk.scalar(select(StockMove.reserved).where(StockMove.transfer_id == bilbao.id)) == 0
    assert delivered(shop.ana, order) == [Decimal(2), Decimal(0)]


def test_the_warehouse_follows_the_line_through_edits_and_revisions_and_a_bad_one_names_the_line(shop):
    order = ordered(shop, (shop.bolts, 3, shop.bilbao))
    update_quote(shop.ana, order, lines=[{"product_id": shop.bolts.id, "quantity": 4},
                                         {"product_id": shop.bolts.id, "quantity": 1, "warehouse_id": shop.bilbao.id}])
    shop.ana.commit()
    first, second = order.lines
    assert (shop.ana.get(SaleLineWarehouse, first.id), shop.ana.get(SaleLineWarehouse, second.id).warehouse_id) == (
        None, shop.bilbao.id)
    mark_sent(shop.ana, order, today=DAY)
    revision = revise_quote(shop.ana, order, today=DAY)
    shop.ana.commit()
    assert [getattr(shop.ana.get(SaleLineWarehouse, line.id), "warehouse_id", None) for line in revision.lines] == [
        None, shop.bilbao.id]
    with pytest.raises(ValidationError) as refused:
        update_quote(shop.ana, revision, lines=[{"product_id": shop.bolts.id, "warehouse_id": 999999}])
    assert "lines-0-warehouse_id" in refused.value.errors
    assert str(refused.value).startswith("Line 1: ")


def test_the_availability_of_a_line_is_its_warehouse_s(shop):
    quote = ordered(shop, (shop.bolts, 150, None), (shop.bolts, 80, shop.bilbao))
    shop.ana.add(SaleWarehouse(order_id=quote.id, warehouse_id=shop.madrid.id))
    shop.ana.flush()
    notes = {(note.line_id, note.text) for note in availability_notes(shop.ana, quote)}
    madrid_line, bilbao_line = quote.lines
    when = quote.validity_date.isoformat()
    assert notes == {
        (bilbao_line.id, f"Leaves from {shop.bilbao.display_name}."),
        (bilbao_line.id, f"100 Unit on hand, 100 forecast on {when}."),
        (madrid_line.id, f"Not available in time: 100 Unit forecast on {when} for 150 quoted (100 on hand).")}
