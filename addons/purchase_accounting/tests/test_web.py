"""Through the pages: an order's billing page makes its bill, the bill shows its order and its three-way check,
and a purchase manager accepts the differences there."""
import datetime as dt
import re
from decimal import Decimal

from addons.accounting.models import Invoice
from addons.accounting.security import ACCOUNTANT, BILLING
from addons.accounting.services.invoices import update_invoice
from addons.accounting.tests.conftest import client_for, make_books
from addons.products.services import create_product
from addons.purchase.services.orders import confirm_order, create_order
from addons.purchase_accounting.models import Acceptance, BillLine

DAY = dt.date(2026, 6, 15)


def _order(web):
    books = make_books(web.db, "Compras Web S.L.", "ES")
    system = web.db.system()
    bolts = create_product(system, books.company.id, code="BOLT", name="Bolt M6")
    system.commit()
    supplier = books.partner("Ferretería Web", is_company=True)
    order = create_order(system, books.company.id, partner_id=supplier.id, date_order=DAY, lines=[
        {"product_id": bolts.id, "quantity": Decimal(10), "unit_price": Decimal("0.50")}])
    confirm_order(system, order)
    system.commit()
    return books, order


def test_an_order_is_billed_and_its_differences_accepted_through_the_pages(web):
    books, order = _order(web)
    biller = client_for(web, books.user("webbiller", [BILLING, "purchase.group_user"]))
    page = biller.get(f"/purchase_accounting/orders/{order.id}/billing").get_data(as_text=True)
    assert "Create bill" in page and "Bills take the ordered quantities." in page and "No bill yet." in page
    created = biller.post(f"/purchase_accounting/orders/{order.id}/bill")
    assert created.status_code == 302, created.get_data(as_text=True)
    bill_id = int(re.search(r"/(\d+)$", created.headers["Location"]).group(1))
    bill_page = biller.get(created.headers["Location"]).get_data(as_text=True)
    assert order.number in bill_page and "Three-way check" in bill_page
    page = biller.get(f"/purchase_accounting/orders/{order.id}/billing").get_data(as_text=True)
    assert "Create bill" not in page and f'/purchase_accounting/bills/{bill_id}/check' in page

    system = web.db.system()
    bill = system.get(Invoice, bill_id)
    update_invoice(system, bill, lines=[{"description": bill.lines[0].description, "quantity": Decimal(10),
                                         "unit_price": Decimal("0.55"), "product_id": bill.lines[0].product_id}])
    system.commit()
    assert system.get(BillLine, bill.lines[0].id) is not None  # the edited line still bills the order line

    boss = client_for(web, books.user("webboss", ["purchase.group_manager"]))
    check = boss.get(f"/purchase_accounting/bills/{bill_id}/check").get_data(as_text=True)
    assert "costs 0.55 a unit where the order says 0.5" in check and 'class="number differs"' in check
    assert "Accept the differences" in check and "Back to the bill" not in check
    accepted = boss.post(f"/purchase_accounting/bills/{bill_id}/accept", {"reason": "Surcharge agreed"},
                         follow_redirects=True).get_data(as_text=True)
    assert "The differences are accepted" in accepted and "Surcharge agreed" in accepted
    assert web.db.system().get(Acceptance, bill_id).reason == "Surcharge agreed"

    accountant = client_for(web, books.user("webaccountant", [ACCOUNTANT]))
    posted = accountant.post(f"/accounting/documents/{bill_id}/post", follow_redirects=True)
    assert "Posted as" in posted.get_data(as_text=True)


def test_a_buyer_without_accounting_sees_no_create_bill_and_cannot_make_one(web):
    books, order = _order(web)
    buyer = client_for(web, books.user("webbuyer", ["purchase.group_user"]))
    page = buyer.get(f"/purchase_accounting/orders/{order.id}/billing").get_data(as_text=True)
    assert "Create bill" not in page and "Bolt M6" in page
    refused = buyer.post(f"/purchase_accounting/orders/{order.id}/bill", follow_redirects=True)
    assert "Only a billing user or an accountant can create bills" in refused.get_data(as_text=True)
    assert web.db.system().query(Invoice).filter(Invoice.company_id == books.company.id).count() == 0


def test_the_billing_page_leads_back_to_its_order_and_counts_a_posted_credit_note(web):
    from addons.accounting.services.invoices import create_credit_note, post_invoice
    from addons.purchase_accounting.services.bills import create_bill

    books, order = _order(web)
    system = web.db.system()
    bill = post_invoice(system, create_bill(system, system.get(type(order), order.id), date=DAY))
    note = post_invoice(system, create_credit_note(system, bill, date=DAY, lines=[
        {"description": bill.lines[0].description, "quantity": Decimal(4), "unit_price": Decimal("0.50"),
         "product_id": bill.lines[0].product_id}]))
    system.commit()
    biller = client_for(web, books.user("webbiller", [BILLING, "purchase.group_user"]))
    page = biller.get(f"/purchase_accounting/orders/{order.id}/billing").get_data(as_text=True)
    assert f'href="/purchase/orders/{order.id}"' in page and "Create bill" in page
    assert f"{note.number}</a> (credit note)" in page
    assert re.search(r'<td class="number">6</td><td class="number">4</td></tr>', page)  # billed 10 - 4, to bill 4
