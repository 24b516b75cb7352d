import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from addons.purchase.models import (
    CANCELLED,
    DONE,
    DRAFT,
    PURCHASE,
    SENT,
    TO_APPROVE,
    PurchaseOrder,
    PurchaseProduct,
)
from addons.purchase.services.orders import (
    approve_order,
    cancel_order,
    confirm_order,
    create_order,
    delete_order,
    late_lines,
    mark_done,
    mark_sent,
    update_order,
)
from addons.purchase.services.prices import create_supplier_price
from addons.purchase.services.settings import set_approval_amount
from core.errors import AccessDenied, ValidationError
from core.testing import published, subscribe_webhook

DAY = dt.date(2026, 6, 15)


class Recorder:
    def __init__(self):
        self.confirmed = []

    from core import hookimpl

    @hookimpl
    def purchase_order_confirmed(self, session, order):
        self.confirmed.append((order.number, order.state))


@pytest.fixture
def recorder(shop):
    recorder = Recorder()
    shop.db.registry.pm.register(recorder, name="test-purchase-recorder")
    yield recorder
    shop.db.registry.pm.unregister(name="test-purchase-recorder")


@pytest.fixture
def prices(shop):
    create_supplier_price(shop.buyer, shop.company.id, product_id=shop.bolts.id, supplier_id=shop.ferreteria.id,
                          price=Decimal("0.40"), lead_time=5)
    create_supplier_price(shop.buyer, shop.company.id, product_id=shop.bolts.id, supplier_id=shop.ferreteria.id,
                          price=Decimal("0.30"), min_quantity=Decimal(1000), lead_time=10)
    create_supplier_price(shop.buyer, shop.company.id, product_id=shop.paint.id, supplier_id=shop.ferreteria.id,
                          price=Decimal("18.00"), supplier_code="PB-5")


def rfq(shop, *lines, supplier=None, **values):
    return create_order(shop.buyer, shop.company.id, partner_id=(supplier or shop.ferreteria).id, date_order=DAY,
                        lines=lines, **values)


def test_an_rfq_takes_the_supplier_s_prices_and_lead_times_and_a_number_when_sent(shop, prices):
    order = rfq(shop, {"product_id": shop.bolts.id, "quantity": "1500"}, {"product_id": shop.paint.id, "quantity": 2},
                {"product_id": shop.bolts.id, "quantity": 10, "unit_price": "0.35", "description": "Spare bolts"})
    assert (order.state, order.number, order.amount_total, order.currency_code) == (DRAFT, None, Decimal("489.50"),
                                                                                     "EUR")
    assert [(line.description, line.unit_price, line.subtotal, line.expected_date) for line in order.lines] == [
        ("[BOLT] Bolt M6", Decimal("0.30"), Decimal("450.00"), DAY + dt.timedelta(days=10)),
        ("[PAINT] White paint 5 l", Decimal("18.00"), Decimal("36.00"), DAY),
        ("Spare bolts", Decimal("0.35"), Decimal("3.50"), DAY + dt.timedelta(days=5))]
    assert order.lines[0].supplier_price.min_quantity == Decimal(1000)
    mark_sent(shop.buyer, order)
    assert (order.state, order.number) == (SENT, "PO/2026/00001")
    second = rfq(shop, {"product_id": shop.paint.id})
    confirm_order(shop.buyer, second)
    assert second.number == "PO/2026/00002"


def test_a_product_without_a_price_from_that_supplier_needs_a_unit_price(shop, prices):
    with pytest.raises(ValidationError) as error:
        rfq(shop, {"product_id": shop.paint.id}, supplier=shop.colori)
    assert error.value.field == "lines-0-unit_price"
    assert str(error.value) == ("Line 1: Colori Srl has no price for [PAINT] White paint 5 l for 1 Unit on "
                                "2026-06-15: enter the unit price.")
    order = rfq(shop, {"product_id": shop.paint.id, "unit_price": "20"}, supplier=shop.colori)
    assert order.lines[0].supplier_price_id is None and order.amount_total == Decimal("20.00")


@pytest.mark.parametrize(("line", "field", "message"), [
    ({"quantity": "-3"}, "quantity", "Line 1: Quantity: "),
    ({"quantity": "0"}, "quantity", "Line 1: Quantity: "),
    ({"unit_price": "-1"}, "unit_price", "Line 1: Unit price: "),
    ({"product_id": None}, "product_id", "Line 1: "),
])
def test_bad_lines_are_refused_and_nothing_is_written(shop, prices, line, field, message):
    with pytest.raises(ValidationError) as error:
        rfq(shop, {"product_id": shop.bolts.id, **line})
    assert error.value.field == f"lines-0-{field}" and str(error.value).startswith(message)
    assert shop.buyer.scalars(select(PurchaseOrder)).all() == []


def test_an_empty_order_cannot_be_confirmed_nor_sent(shop):
    order = rfq(shop)
    for action in (confirm_order, mark_sent):
        with pytest.raises(ValidationError, match="has no lines: add what you are buying first.") as error:
            action(shop.buyer, order)
        assert error.value.field == "lines"
    assert (order.state, order.number) == (DRAFT, None)


def test_confirming_under_the_limit_confirms_and_remembers_the_last_price(shop, prices, recorder):
    set_approval_amount(shop.boss, shop.company.id, amount=Decimal(1000))
    shop.boss.commit()
    order = rfq(shop, {"product_id": shop.bolts.id, "quantity": 100})
    confirm_order(shop.buyer, order)
    assert (order.state, order.approved_by_id, recorder.confirmed) == (PURCHASE, None, [("PO/2026/00001", PURCHASE)])
    side = shop.buyer.get(PurchaseProduct, shop.bolts.id)
    assert (side.last_purchase_price, side.last_purchase_currency, side.last_purchase_date,
            side.preferred_supplier_id) == (Decimal("0.40"), "EUR", DAY, shop.ferreteria.id)
    with pytest.raises(ValidationError, match="Only a request for quotation can be changed; the state of PO/2026/00001 is “Purchase order”."):
        update_order(shop.buyer, order, notes="late change")


def test_above_the_limit_a_manager_other_than_the_buyer_approves(shop, prices, recorder):
    with pytest.raises(AccessDenied):
        set_approval_amount(shop.buyer, shop.company.id, amount=Decimal(1))
    set_approval_amount(shop.boss, shop.company.id, amount=Decimal(100))
    shop.boss.commit()
    order = rfq(shop, {"product_id": shop.paint.id, "quantity": 10})
    confirm_order(shop.buyer, order)
    assert (order.state, order.number, recorder.confirmed) == (TO_APPROVE, "PO/2026/00001", [])
    with pytest.raises(AccessDenied, match="Only a purchase manager can approve orders; buyer cannot."):
        approve_order(shop.buyer, order)
    approve_order(shop.boss, shop.boss.get(PurchaseOrder, order.id))
    approved = shop.boss.get(PurchaseOrder, order.id)
    assert (approved.state, approved.approved_by.login, recorder.confirmed) == (
        PURCHASE, "boss", [("PO/2026/00001", PURCHASE)])


def test_a_manager_cannot_approve_an_order_of_their_own_waiting_for_approval(shop, prices):
    set_approval_amount(shop.boss, shop.company.id, amount=Decimal(100))
    shop.boss.commit()
    order = create_order(shop.boss, shop.company.id, partner_id=shop.ferreteria.id, date_order=DAY,
                         lines=[{"product_id": shop.paint.id, "quantity": 10}])
    shop.boss.commit()
    confirm_order(shop.buyer, shop.buyer.get(PurchaseOrder, order.id))  # a buyer confirms the boss's request
    shop.buyer.commit()
    order = shop.boss.get(PurchaseOrder, order.id)
    shop.boss.refresh(order)
    assert order.state == TO_APPROVE
    with pytest.raises(AccessDenied, match="is your own order: another purchase manager must approve it."):
        approve_order(shop.boss, order)
    approve_order(shop.other_boss, shop.other_boss.get(PurchaseOrder, order.id))


def test_a_manager_confirming_above_the_limit_approves_at_once(shop, prices, recorder):
    set_approval_amount(shop.boss, shop.company.id, amount=Decimal(100))
    shop.boss.commit()
    order = rfq(shop, {"product_id": shop.paint.id, "quantity": 10})
    shop.buyer.commit()
    order = confirm_order(shop.boss, shop.boss.get(PurchaseOrder, order.id))
    assert (order.state, order.approved_by_id) == (PURCHASE, shop.boss.info["actor"].user_id)


def test_cancel_done_delete_and_late_receipts(shop, prices):
    draft = rfq(shop, {"product_id": shop.paint.id})
    delete_order(shop.buyer, draft)
    sent = mark_sent(shop.buyer, rfq(shop, {"product_id": shop.paint.id}))
    with pytest.raises(ValidationError, match="has a number: cancel it instead of deleting it."):
        delete_order(shop.buyer, sent)
    assert cancel_order(shop.buyer, sent).state == CANCELLED
    with pytest.raises(ValidationError, match="Only a request for quotation can be confirmed; the state of PO/2026/00001 is “Cancelled”."):
        confirm_order(shop.buyer, sent)
    order = confirm_order(shop.buyer, rfq(shop, {"product_id": shop.bolts.id}, {"product_id": shop.paint.id}))
    bolts, paint = order.lines
    assert late_lines(shop.buyer, today=DAY + dt.timedelta(days=5)) == [paint]
    assert late_lines(shop.buyer, today=DAY + dt.timedelta(days=6)) == [paint, bolts]
    assert bolts.is_late(DAY + dt.timedelta(days=6)) and not bolts.is_late(DAY + dt.timedelta(days=5))
    paint.received_quantity = Decimal(1)  # what purchase_stock writes when the goods arrive
    assert late_lines(shop.buyer, today=DAY + dt.timedelta(days=6)) == [bolts]
    with pytest.raises(ValidationError, match="has been received: it cannot be cancelled."):
        cancel_order(shop.buyer, order)
    assert mark_done(shop.buyer, order).state == DONE
    assert late_lines(shop.buyer, today=DAY + dt.timedelta(days=6)) == []


def test_a_price_in_another_currency_is_converted_at_the_order_date_s_rate(shop):
    from addons.accounting.models import CurrencyRate

    create_supplier_price(shop.buyer, shop.company.id, product_id=shop.paint.id, supplier_id=shop.colori.id,
                          price=Decimal("20.00"), currency_code="USD")
    with pytest.raises(ValidationError) as error:
        rfq(shop, {"product_id": shop.paint.id}, supplier=shop.colori)
    assert error.value.field == "lines-0-currency_code"
    assert "There is no exchange rate for USD on or before 2026-06-15" in str(error.value)
    system = shop.db.system()
    system.add(CurrencyRate(company_id=shop.company.id, currency_code="USD", date=dt.date(2026, 6, 1),
                            rate=Decimal("0.9")))
    system.commit()
    order = rfq(shop, {"product_id": shop.paint.id, "quantity": 2}, supplier=shop.colori)
    assert (order.lines[0].unit_price, order.amount_total) == (Decimal("18.000000"), Decimal("36.00"))
    in_dollars = rfq(shop, {"product_id": shop.paint.id}, supplier=shop.colori, currency_code="usd")
    assert (in_dollars.currency_code, in_dollars.lines[0].unit_price) == ("USD", Decimal("20.00"))


def test_another_company_s_supplier_is_refused(shop):
    other = shop.db.company("Otra S.L.")
    admin = shop.db.as_user(shop.db.user("both", groups=[MANAGER_GROUP], companies=[shop.company, other]))
    with pytest.raises(ValidationError, match="Choose a supplier of this company.") as error:
        create_order(admin, other.id, partner_id=shop.ferreteria.id, date_order=DAY)
    assert error.value.field == "partner_id"


MANAGER_GROUP = "purchase.group_manager"


def test_confirming_an_order_publishes_it_to_webhooks(db, shop, prices):
    subscribe_webhook(db, shop.buyer, ["purchase.order_confirmed"])
    order = rfq(shop, {"product_id": shop.bolts.id, "quantity": 100})
    assert published(db, "purchase.order_confirmed") == []
    confirm_order(shop.buyer, order)
    assert published(db, "purchase.order_confirmed") == [order.id]
