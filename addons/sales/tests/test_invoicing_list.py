"""The orders list narrows to the orders to invoice, and invoices the ticked ones at once: one draft invoice per
customer and currency; ticking an order with nothing to invoice refuses them all, naming it."""
from decimal import Decimal

from sqlalchemy import func, select

from addons.accounting.models import Invoice
from addons.contacts.services import create_partner
from addons.sales.models import DELIVERED, SalesProduct
from addons.sales.services.quotes import confirm_quote, create_quote

from .test_web import _set_up


def _orders(web):
    """Three confirmed orders (two for one customer, one for another) and a quotation; the third order's
    product is invoiced on delivery and nothing of it is delivered."""
    drill, bolts, customer, _pricelist, vat = _set_up(web)
    system = web.db.system()
    company_id = web.db.main_company.id
    other = create_partner(system, company_id, name="Rossi Arredamenti", is_company=True)
    advice = _service(system, company_id)
    system.add(SalesProduct(product_id=advice.id, invoice_policy=DELIVERED, company_id=company_id))

    def order(partner, product, quantity, confirm=True):
        made = create_quote(system, company_id, partner_id=partner.id, lines=[
            {"product_id": product.id, "quantity": quantity, "tax_ids": [vat.id]}])
        if confirm:
            confirm_quote(system, made)
        return made

    found = (order(customer, bolts, 100), order(customer, drill, 1), order(other, bolts, 10),
             order(other, advice, 3), order(customer, drill, 2, confirm=False))
    system.commit()
    web.db.user("biller", groups=["sales.group_manager", "accounting.group_billing"])
    return found


def _service(system, company_id):
    from addons.products.models import SERVICE
    from addons.products.services import create_product

    return create_product(system, company_id, code="ADVICE", name="Advice", kind=SERVICE, list_price=Decimal(50))


def _invoices(web) -> int:
    return web.db.system().scalar(select(func.count()).select_from(Invoice))


def test_the_to_invoice_filter_lists_the_confirmed_orders_with_something_to_invoice(web):
    first, second, third, idle, quote = _orders(web)
    client = web.client()
    client.login("biller")
    listing = client.get("/sales/orders/?filter=to_invoice").get_data(as_text=True)
    shown = {order.number for order in (first, second, third, idle) if order.number in listing}
    assert shown == {first.number, second.number, third.number}
    assert quote.display_name not in listing
    assert "To invoice" in listing and 'formaction="/sales/orders/selected/invoice"' in listing


def test_invoicing_the_ticked_orders_makes_one_draft_per_customer(web):
    first, second, third, _idle, _quote = _orders(web)
    client = web.client()
    client.login("biller")
    done = client.post("/sales/orders/selected/invoice", data={"ids": [str(first.id), str(second.id), str(third.id)]},
                       follow_redirects=True).get_data(as_text=True)
    assert "3 orders invoiced" in done
    invoices = web.db.system().scalars(select(Invoice).order_by(Invoice.id)).all()
    assert [(invoice.partner_id, invoice.state, invoice.reference) for invoice in invoices] == [
        (first.partner_id, "draft", f"{first.number}, {second.number}"), (third.partner_id, "draft", third.number)]
    assert [len(invoice.lines) for invoice in invoices] == [2, 1]
    listing = client.get("/sales/orders/?filter=to_invoice").get_data(as_text=True)
    assert not any(order.number in listing for order in (first, second, third))


def test_an_order_with_nothing_to_invoice_refuses_the_lot_and_is_named(web):
    first, _second, _third, idle, quote = _orders(web)
    client = web.client()
    client.login("biller")
    refused = client.post("/sales/orders/selected/invoice", data={"ids": [str(first.id), str(idle.id), str(quote.id)]},
                          follow_redirects=True).get_data(as_text=True)
    assert (f"Nothing to invoice on {idle.display_name}, {quote.display_name}: untick them and invoice the others."
            in refused)
    assert _invoices(web) == 0


def test_the_action_speaks_the_user_s_language(web):
    first, *_rest = _orders(web)
    web.db.user("fatturista", groups=["sales.group_manager", "accounting.group_billing"], lang="it")
    client = web.client()
    client.login("fatturista")
    listing = client.get("/sales/orders/").get_data(as_text=True)
    assert "Crea fatture (una per cliente e valuta)" in listing
    done = client.post("/sales/orders/selected/invoice", data={"ids": [str(first.id)]},
                       follow_redirects=True).get_data(as_text=True)
    assert "1 ordine fatturato" in done
