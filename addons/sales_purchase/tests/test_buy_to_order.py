"""A product bought to order is asked of its preferred supplier when a sales order of it is confirmed; without a
supplier the order confirms all the same and says so; cancelling the order takes back what is still a draft."""
import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from addons.contacts.services import create_partner
from addons.products.services import create_product
from addons.products.units import unit_by_code
from addons.purchase.models import CANCELLED, DRAFT, PurchaseOrder
from addons.purchase.services.orders import confirm_order, create_order
from addons.purchase.services.prices import create_supplier_price
from addons.sales.models import CONFIRMED
from addons.sales.services.orders import cancel_order
from addons.sales.services.quotes import confirm_quote, create_quote
from addons.sales_purchase.buying import purchases_of
from addons.sales_purchase.models import ProductBuyToOrder
from addons.sales_purchase.notes import line_notes, panels

DAY = dt.date(2027, 3, 15)


@pytest.fixture
def shop(db):
    system = db.system()
    company = db.main_company
    supplier = create_partner(system, company.id, name="Ferretería Sol S.L.", is_company=True)
    other = create_partner(system, company.id, name="Utensili Rossi", is_company=True)
    customer = create_partner(system, company.id, name="Rossi Arredamenti", is_company=True)
    drill = create_product(system, company.id, code="DRILL", name="Drill 18 V", list_price=Decimal(100))
    lathe = create_product(system, company.id, code="LATHE", name="Lathe", list_price=Decimal(900))
    bolts = create_product(system, company.id, code="BOLT", name="Bolt M6", list_price=Decimal("0.50"))
    system.add_all(ProductBuyToOrder(product_id=product.id, buy_to_order=True) for product in (drill, lathe))
    create_supplier_price(system, company.id, product_id=drill.id, supplier_id=supplier.id, price=Decimal(60),
                          min_quantity=Decimal(1))
    create_supplier_price(system, company.id, product_id=bolts.id, supplier_id=supplier.id, price=Decimal("0.20"))
    system.commit()
    ana = db.user("ana", groups=["sales.group_salesperson"])
    buyer = db.user("buyer", groups=["purchase.group_user"])
    return SimpleNamespace(db=db, company=company, supplier=supplier, other=other, customer=customer, drill=drill,
                           lathe=lathe, bolts=bolts, ana_user=ana, ana=db.as_user(ana), buyer=db.as_user(buyer))


def quote(shop, *lines):
    return create_quote(shop.ana, shop.company.id, partner_id=shop.customer.id, date_order=DAY, lines=[
        {"product_id": product.id, "quantity": quantity, **({"uom_id": unit.id} if unit else {})}
        for product, quantity, unit in lines])


def confirmed(shop, order):
    confirm_quote(shop.ana, order, today=DAY)
    shop.ana.commit()
    return order


def purchased(shop, order) -> list[tuple]:
    """(product, purchase line id, purchase order id) buying ``order``'s lines, read by the system."""
    system = shop.db.system()
    found = [(sale.product_id, bought.id, bought.order_id) for sale, bought in purchases_of(system, order)]
    system.commit()
    return found


def requests(session, supplier) -> list[PurchaseOrder]:
    return list(session.scalars(select(PurchaseOrder).where(PurchaseOrder.partner_id == supplier.id)
                                .order_by(PurchaseOrder.id)))


def test_confirming_asks_the_preferred_supplier_for_the_quantity_sold_and_links_the_lines(shop):
    order = confirmed(shop, quote(shop, (shop.drill, 3, None), (shop.bolts, 50, None)))
    [request] = requests(shop.buyer, shop.supplier)
    assert request.state == DRAFT
    assert [(line.product_id, line.quantity, line.uom_id, line.unit_price) for line in request.lines] == [
        (shop.drill.id, Decimal(3), shop.drill.uom_id, Decimal(60))]  # the bolts are not bought to order
    assert purchased(shop, order) == [(shop.drill.id, request.lines[0].id, request.id)]
    [note] = line_notes(shop.ana, order)
    assert (note.line_id, note.warning) == (order.lines[0].id, False)
    assert request.display_name in note.text and "Ferretería Sol S.L." in note.text
    [panel] = panels(shop.ana, shop.ana.info["actor"], order)
    assert panel.endpoint is None  # a salesperson sees what buys the order, not the purchase order itself
    assert panel.lines == (("[DRILL] Drill 18 V", f"3 {shop.drill.uom.display_name}"),)
    both = shop.db.as_user(shop.db.user("boss", groups=["sales.group_manager", "purchase.group_user"]))
    [panel] = panels(both, both.info["actor"], order)
    assert (panel.endpoint, panel.endpoint_args) == ("purchase.order_view", (("record_id", request.id),))


def test_a_second_order_joins_the_open_draft_and_a_unit_is_kept(shop):
    confirmed(shop, quote(shop, (shop.drill, 3, None)))
    box = unit_by_code(shop.ana, "box12")
    confirmed(shop, quote(shop, (shop.drill, 1, box)))
    [request] = requests(shop.buyer, shop.supplier)
    assert [(line.quantity, line.uom_id) for line in request.lines] == [(Decimal(3), shop.drill.uom_id),
                                                                        (Decimal(1), box.id)]


def test_without_a_supplier_the_order_confirms_and_says_nothing_was_bought(shop):
    order = quote(shop, (shop.lathe, 1, None))
    [before] = line_notes(shop.ana, order)
    assert before.warning and "no supplier to buy from" in before.text
    confirmed(shop, order)
    assert order.state == CONFIRMED
    assert purchased(shop, order) == []
    assert shop.buyer.scalar(select(PurchaseOrder.id)) is None
    [after] = line_notes(shop.ana, order)
    assert after.warning and after.text.startswith("[LATHE] Lathe has no supplier to buy from")


def test_cancelling_takes_the_line_off_the_draft_and_names_a_confirmed_purchase(shop):
    kept = create_order(shop.buyer, shop.company.id, partner_id=shop.supplier.id, date_order=DAY,
                        lines=[{"product_id": shop.bolts.id, "quantity": 10}])
    shop.buyer.commit()
    first = confirmed(shop, quote(shop, (shop.drill, 3, None)))
    shop.buyer.expire_all()
    assert [line.product_id for line in kept.lines] == [shop.bolts.id, shop.drill.id]  # joined the open draft
    notes = cancel_order(shop.ana, first)
    shop.ana.commit()
    shop.buyer.expire_all()
    assert notes == []
    assert ([line.product_id for line in kept.lines], kept.state) == ([shop.bolts.id], DRAFT)
    assert purchased(shop, first) == []

    second = confirmed(shop, quote(shop, (shop.drill, 2, None)))
    [(_product, _line, request_id)] = purchased(shop, second)
    request = confirm_order(shop.buyer, shop.buyer.get(PurchaseOrder, request_id))
    shop.buyer.commit()
    notes = cancel_order(shop.ana, second)
    shop.ana.commit()
    assert notes == [f"{request.display_name} to Ferretería Sol S.L. still buys [DRILL] Drill 18 V: cancel it "
                     "with the supplier if it is no longer needed."]


def test_a_request_left_empty_by_the_cancellation_is_cancelled(shop):
    order = confirmed(shop, quote(shop, (shop.drill, 3, None)))
    cancel_order(shop.ana, order)
    shop.ana.commit()
    shop.buyer.expire_all()
    assert [(request.state, len(request.lines)) for request in requests(shop.buyer, shop.supplier)] == [
        (CANCELLED, 0)]
    assert line_notes(shop.ana, order) == []  # a cancelled order buys nothing any more
