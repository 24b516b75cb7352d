"""Invoicing an order through its page: delivered quantities entered by hand, a down payment, the invoice,
the statuses on the page and the list, and cancelling an order that has a posted invoice."""
import re
from decimal import Decimal

from sqlalchemy import select

from addons.accounting.models import Invoice
from addons.accounting.services.invoices import post_invoice
from addons.products.models import SERVICE
from addons.products.services import create_product
from addons.sales.models import CANCELLED, DELIVERED, SaleOrder, SalesProduct
from addons.sales.services.quotes import confirm_quote, create_quote
from core.models import User

from .test_web import _set_up


def _order(web, drill, bolts, customer, vat):
    """A confirmed order of Ana's: 2 hours of fitting (invoiced on delivery) and 100 bolts (on order)."""
    system = web.db.system()
    system.add(SalesProduct(product_id=drill.id, invoice_policy=DELIVERED))
    ana = system.scalar(select(User).where(User.login == "ana"))
    order = create_quote(system, web.db.main_company.id, partner_id=customer.id, user_id=ana.id, lines=[
        {"product_id": drill.id, "quantity": 2, "tax_ids": [vat.id]},
        {"product_id": bolts.id, "quantity": 100, "tax_ids": [vat.id]}])
    confirm_quote(system, order)
    system.commit()
    return order


def test_an_order_is_delivered_invoiced_and_cancelled_through_its_page(web):
    _drill, bolts, customer, _pricelist, vat = _set_up(web)
    # a service: its deliveries are entered by hand (goods come from sales_stock's deliveries, installed here)
    system = web.db.system()
    drill = create_product(system, web.db.main_company.id, code="FIT", name="Fitting", kind=SERVICE,
                           list_price=Decimal(100), cost=Decimal(60))
    system.commit()
    order = _order(web, drill, bolts, customer, vat)
    drill_line, bolt_line = order.lines
    ana = web.client()
    ana.login("ana")
    page = ana.get(f"/sales/orders/{order.id}").get_data(as_text=True)
    assert "To invoice" in page and "Not paid" in page
    assert f'name="delivered-{drill_line.id}"' in page
    assert "Create invoice" not in page  # Ana does not prepare invoices, nor may she
    assert ana.post(f"/sales/orders/{order.id}/invoice").status_code == 403
    saved = ana.post(f"/sales/orders/{order.id}/delivered", data={f"delivered-{drill_line.id}": "1"},
                     follow_redirects=True).get_data(as_text=True)
    assert "Delivered quantities recorded." in saved
    refused = ana.post(f"/sales/orders/{order.id}/delivered", data={f"delivered-{drill_line.id}": "-3"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Line 1: a delivered quantity cannot be negative." in refused
    assert web.db.system().get(type(drill_line), drill_line.id).qty_delivered == Decimal(1)

    # a sales manager who also prepares invoices
    web.db.user("boss2", groups=["sales.group_manager", "accounting.group_billing"])
    boss = web.client()
    boss.login("boss2")
    page = boss.get(f"/sales/orders/{order.id}").get_data(as_text=True)
    assert "Create invoice" in page and "Down payment" in page
    form = boss.get(f"/sales/orders/{order.id}/down-payment")
    assert form.status_code == 200
    refused = boss.post(f"/sales/orders/{order.id}/down-payment", data={"percent": "10", "amount": "5"})
    assert refused.status_code == 422 and "not both" in refused.get_data(as_text=True)
    down = boss.post(f"/sales/orders/{order.id}/down-payment", data={"percent": "10"})
    assert down.status_code == 302 and "/accounting/" in down.headers["Location"]
    created = boss.post(f"/sales/orders/{order.id}/invoice")
    assert created.status_code == 302
    invoice_id = int(re.search(r"/(\d+)$", created.headers["Location"]).group(1))
    system = web.db.system()
    invoice = system.get(Invoice, invoice_id)
    assert [(line.product_id, line.quantity) for line in invoice.lines] == [
        (drill.id, Decimal(1)), (bolts.id, Decimal(100))]  # one hour delivered; no deduction: not the last
    post_invoice(system, invoice)
    system.commit()
    page = ana.get(f"/sales/orders/{order.id}").get_data(as_text=True)
    assert invoice.number in page and "Partly invoiced" in page  # the second hour waits for its delivery
    listed = ana.get("/sales/orders/").get_data(as_text=True)
    assert "Invoicing" in listed and "Partly invoiced" in listed

    cancelled = ana.post(f"/sales/orders/{order.id}/cancel", follow_redirects=True).get_data(as_text=True)
    assert f"Invoice {invoice.number} is posted: credit it to cancel it." in cancelled
    system = web.db.system()
    assert system.get(SaleOrder, order.id).state == CANCELLED
    drafts = system.scalars(select(Invoice).where(Invoice.state == "draft")).all()
    assert drafts == []  # the down-payment draft went with the order
