"""The order's page shows its receipts to who may read transfers, and links to them."""
import datetime as dt
from decimal import Decimal

from addons.contacts.services import create_partner
from addons.products.services import create_product
from addons.purchase.services.orders import confirm_order, create_order
from addons.stock.services.setup import create_warehouse

DAY = dt.date(2026, 6, 15)


def _client(web, login, groups):
    user = web.db.user(login, groups=groups)
    client = web.client()
    client.login(user.login)
    return client


def test_the_order_page_lists_its_receipts_for_stock_readers_only(web):
    system = web.db.system()
    company = web.db.main_company.id
    create_warehouse(system, company, code="MAD", name="Madrid")
    bolts = create_product(system, company, code="BOLT", name="Bolt M6")
    supplier = create_partner(system, company, name="Ferretería Sol S.L.", is_company=True)
    order = create_order(system, company, partner_id=supplier.id, date_order=DAY,
                         lines=[{"product_id": bolts.id, "quantity": Decimal(10), "unit_price": Decimal("0.40")}])
    confirm_order(system, order)
    system.commit()
    keeper = _client(web, "keeper", ["purchase.group_user", "stock.group_user"])
    page = keeper.get(f"/purchase/orders/{order.id}").get_data(as_text=True)
    assert "Receipts" in page and "MAD/IN/00001" in page and "Ready" in page
    assert f'href="/stock/transfers/?q={order.number}"' in page
    listed = keeper.get(f"/stock/transfers/?q={order.number}").get_data(as_text=True)
    assert "MAD/IN/00001" in listed
    buyer = _client(web, "buyer", ["purchase.group_user"])
    assert "MAD/IN/00001" not in buyer.get(f"/purchase/orders/{order.id}").get_data(as_text=True)
