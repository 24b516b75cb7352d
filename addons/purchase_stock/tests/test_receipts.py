"""A confirmed purchase order makes its receipt; what the warehouse receives flows back to the order's lines."""
import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from addons.contacts.services import create_partner
from addons.products.models import SERVICE, Product
from addons.products.services import create_product
from addons.products.units import unit_by_code
from addons.purchase.models import CANCELLED as ORDER_CANCELLED
from addons.purchase.services.orders import cancel_order, confirm_order, create_order
from addons.purchase_stock.models import OrderDelivery, OrderReceipt
from addons.stock.models import StockMove, Transfer, Warehouse
from addons.stock.models.moves import CANCELLED, DONE, RECEIPT
from addons.stock.services.setup import create_warehouse, warehouse_locations
from addons.stock.services.transfers import process_transfer, return_transfer
from core.errors import ValidationError

DAY = dt.date(2026, 6, 15)


@pytest.fixture
def shop(db):
    system = db.system()
    company = db.main_company
    madrid = create_warehouse(system, company.id, code="MAD", name="Madrid")
    bilbao = create_warehouse(system, company.id, code="BIL", name="Bilbao")
    bolts = create_product(system, company.id, code="BOLT", name="Bolt M6")
    paint = create_product(system, company.id, code="PAINT", name="Grey paint", uom_id=unit_by_code(system, "l").id)
    advice = create_product(system, company.id, code="ADVICE", name="Advice", kind=SERVICE,
                            uom_id=unit_by_code(system, "hour").id)
    supplier = create_partner(system, company.id, name="Ferretería Sol S.L.", is_company=True)
    system.commit()
    return SimpleNamespace(
        db=db, company=company, madrid=madrid, bilbao=bilbao, bolts=bolts, paint=paint, advice=advice,
        supplier=supplier, box=unit_by_code(system, "box12"),
        buyer=db.as_user(db.user("buyer", groups=["purchase.group_user"])),
        clerk=db.as_user(db.user("clerk", groups=["stock.group_user"])))


def order(shop, *lines):
    return create_order(shop.buyer, shop.company.id, partner_id=shop.supplier.id, date_order=DAY, lines=lines)


def receipt_of(session, found_order) -> Transfer:
    return session.scalars(select(Transfer).join(OrderReceipt, OrderReceipt.transfer_id == Transfer.id)
                           .where(OrderReceipt.order_id == found_order.id, Transfer.backorder_of_id.is_(None),
                                  Transfer.return_of_id.is_(None))).one()


def moves(session, transfer) -> list[tuple]:
    return [tuple(row) for row in session.execute(
        select(StockMove.product_id, StockMove.quantity, StockMove.uom_id, StockMove.product_quantity,
               StockMove.state).where(StockMove.transfer_id == transfer.id).order_by(StockMove.id))]


def received(found_order) -> list[Decimal]:
    return [line.received_quantity for line in found_order.lines]


def test_a_buyer_without_stock_rights_confirms_and_the_goods_are_expected_in_the_first_warehouse(shop):
    purchase = order(shop, {"product_id": shop.bolts.id, "quantity": 2, "unit_price": "4.80", "uom_id": shop.box.id},
                     {"product_id": shop.advice.id, "quantity": 3, "unit_price": "50"},
                     {"product_id": shop.paint.id, "quantity": "12.5", "unit_price": "2.10"})
    confirm_order(shop.buyer, purchase)
    shop.buyer.commit()
    receipt = receipt_of(shop.clerk, purchase)
    assert (receipt.kind, receipt.origin, receipt.warehouse_id, receipt.scheduled_date) == (
        RECEIPT, purchase.number, shop.madrid.id, DAY)
    assert receipt.dest_location_id == warehouse_locations(shop.clerk, shop.madrid)[1].id
    assert moves(shop.clerk, receipt) == [
        (shop.bolts.id, Decimal(2), shop.box.id, Decimal(24), "ready"),
        (shop.paint.id, Decimal("12.5"), shop.paint.uom_id, Decimal("12.5"), "ready")]
    # what the valuation takes: the price per unit of the product's own unit (a box of 12 at 4.80: 0.40 a bolt)
    assert [move.unit_cost for move in receipt.moves] == [Decimal("0.40"), Decimal("2.10")]


def test_the_order_chooses_its_warehouse(shop):
    purchase = order(shop, {"product_id": shop.bolts.id, "quantity": 10, "unit_price": "0.40"})
    shop.buyer.add(OrderDelivery(order_id=purchase.id, warehouse_id=shop.bilbao.id))
    shop.buyer.flush()
    assert shop.buyer.get(OrderDelivery, purchase.id).company_id == shop.company.id
    confirm_order(shop.buyer, purchase)
    shop.buyer.commit()
    assert receipt_of(shop.clerk, purchase).warehouse_id == shop.bilbao.id


def test_partial_receipts_backorders_and_returns_flow_back_to_the_lines(shop):
    purchase = order(shop, {"product_id": shop.bolts.id, "quantity": 2, "unit_price": "4.80", "uom_id": shop.box.id},
                     {"product_id": shop.paint.id, "quantity": 10, "unit_price": "2.10"},
                     {"product_id": shop.paint.id, "quantity": 5, "unit_price": "2.00"})
    confirm_order(shop.buyer, purchase)
    shop.buyer.commit()
    receipt = receipt_of(shop.clerk, purchase)
    bolts_move, paint_first, _paint_second = [move.id for move in receipt.moves]
    backorder, _warnings = process_transfer(shop.clerk, receipt, quantities={
        bolts_move: Decimal(1), paint_first: Decimal(12)})
    shop.clerk.commit()
    shop.buyer.expire_all()
    assert received(purchase) == [Decimal(1), Decimal(10), Decimal(2)]
    assert shop.clerk.get(Product, shop.paint.id).cost == Decimal("2.10")  # FIFO: what is left cost 2.10 a litre
    assert backorder is not None and backorder.origin == purchase.number
    process_transfer(shop.clerk, backorder)
    shop.clerk.commit()
    shop.buyer.expire_all()
    assert received(purchase) == [Decimal(2), Decimal(10), Decimal(7)]  # 17 l of paint: the last line takes the 2 l more
    assert shop.buyer.scalar(select(OrderReceipt.order_id).where(OrderReceipt.transfer_id == backorder.id)) == \
        purchase.id
    back = return_transfer(shop.clerk, receipt, quantities={bolts_move: Decimal(1)})
    process_transfer(shop.clerk, back)
    shop.clerk.commit()
    shop.buyer.expire_all()
    assert received(purchase) == [Decimal(1), Decimal(10), Decimal(7)]


def test_cancelling_an_order_cancels_what_its_receipt_still_expects(shop):
    purchase = order(shop, {"product_id": shop.bolts.id, "quantity": 10, "unit_price": "0.40"})
    confirm_order(shop.buyer, purchase)
    cancel_order(shop.buyer, purchase)
    shop.buyer.commit()
    receipt = receipt_of(shop.clerk, purchase)
    assert (purchase.state, receipt.state, [row[-1] for row in moves(shop.clerk, receipt)]) == (
        ORDER_CANCELLED, CANCELLED, [CANCELLED])


def test_an_order_partly_received_cannot_be_cancelled(shop):
    purchase = order(shop, {"product_id": shop.bolts.id, "quantity": 10, "unit_price": "0.40"})
    confirm_order(shop.buyer, purchase)
    shop.buyer.commit()
    receipt = receipt_of(shop.clerk, purchase)
    process_transfer(shop.clerk, receipt, quantities={receipt.moves[0].id: Decimal(4)}, backorder=True)
    shop.clerk.commit()
    shop.buyer.expire_all()
    with pytest.raises(ValidationError, match="has been received"):
        cancel_order(shop.buyer, purchase)
    assert shop.clerk.scalar(select(StockMove.state).where(StockMove.transfer_id == receipt.id)) == DONE


def test_a_company_without_a_warehouse_gets_one_when_its_first_order_is_confirmed(db):
    system = db.system()
    company = db.company("Nueva S.L.")
    bolts = create_product(system, company.id, code="BOLT", name="Bolt")
    supplier = create_partner(system, company.id, name="Proveedor", is_company=True)
    purchase = create_order(system, company.id, partner_id=supplier.id, date_order=DAY,
                            lines=[{"product_id": bolts.id, "quantity": 3, "unit_price": "1"}])
    confirm_order(system, purchase)
    [warehouse] = system.scalars(select(Warehouse).where(Warehouse.company_id == company.id)).all()
    assert (warehouse.code, receipt_of(system, purchase).warehouse_id) == ("WH", warehouse.id)


def test_an_order_of_services_only_makes_no_receipt(shop):
    purchase = order(shop, {"product_id": shop.advice.id, "quantity": 3, "unit_price": "50"})
    confirm_order(shop.buyer, purchase)
    assert shop.buyer.scalars(select(OrderReceipt).where(OrderReceipt.order_id == purchase.id)).all() == []


def _recount_statements(session, work) -> list[str]:
    """The SQL statements of the recount while ``work`` runs: on the order lines, or on the moves of the orders'
    receipts (not those following backorders and returns back to their receipt, one per step)."""
    from sqlalchemy import event

    seen = []

    def note(_connection, _cursor, statement, *_rest):
        if "purchase_order_line" in statement or "purchase_stock_receipt" in statement and "stock_move" in statement:
            seen.append(statement)

    engine = session.connection().engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        work()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return seen


def test_the_received_quantities_of_many_orders_are_recounted_at_once(shop):
    """Receipts, a backorder and a return of several orders done in one batch: each order's lines are right, and
    the recount costs as many statements for four orders as for one (a read of
    the moves, one of the lines, a write)."""
    from addons.stock.services import moves as move_services

    def confirmed(*lines):
        found = order(shop, *({"product_id": product.id, "quantity": quantity, "unit_price": "1"}
                              for product, quantity in lines))
        confirm_order(shop.buyer, found)
        return found

    single = confirmed((shop.bolts, 3))
    shop.buyer.commit()
    single_moves = receipt_of(shop.clerk, single).moves
    alone = _recount_statements(shop.clerk, lambda: move_services.done(shop.clerk, single_moves))
    shop.clerk.commit()
    first = confirmed((shop.bolts, 4), (shop.paint, 10), (shop.paint, 5))
    second = confirmed((shop.paint, 8))
    shop.buyer.commit()
    back = return_transfer(shop.clerk, receipt_of(shop.clerk, single), quantities={
        receipt_of(shop.clerk, single).moves[0].id: Decimal(1)})
    partial = receipt_of(shop.clerk, first)
    backorder, _warnings = process_transfer(shop.clerk, partial, quantities={partial.moves[0].id: Decimal(1)})
    third = confirmed((shop.bolts, 2))
    shop.buyer.commit()
    shop.clerk.commit()
    batch = [*back.moves, *backorder.moves, *receipt_of(shop.clerk, second).moves,
             *receipt_of(shop.clerk, third).moves]
    together = _recount_statements(shop.clerk, lambda: move_services.done(shop.clerk, batch))
    shop.clerk.commit()
    shop.buyer.expire_all()
    assert [received(found) for found in (single, first, second, third)] == [
        [Decimal(2)], [Decimal(4), Decimal(10), Decimal(5)], [Decimal(8)], [Decimal(2)]]
    assert len(together) == len(alone)
