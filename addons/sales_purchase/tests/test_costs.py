"""A quotation line costs the preferred supplier's price when stock does not say; stock wins when it does."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from addons.contacts.services import create_partner
from addons.purchase.services.prices import create_supplier_price
from addons.sales.services.quotes import create_quote
from addons.stock.tests.test_valuation import Books

DAY = dt.date(2027, 3, 15)


def test_stock_then_supplier_then_product_cost(db_copy):
    db = db_copy
    company_id = db.main_company.id
    books = Books(db.as_user(db.user("jefe", groups=["stock.group_manager", "products.group_manager"])), company_id)
    received, bought = books.product("NUT", "average", cost="4"), books.product("BOLT", "average", cost="1")
    plain = books.product("PIN", "average", cost="0.30")
    books.receive(received, 10, "5.00", 1)
    books.session.commit()
    system = db.system()
    supplier = create_partner(system, company_id, name="Ferretería Sol S.L.", is_company=True)
    customer = create_partner(system, company_id, name="Rossi Arredamenti", is_company=True)
    for product in (received, bought):
        create_supplier_price(system, company_id, product_id=product.id, supplier_id=supplier.id, price=D("2.50"))
    system.commit()
    ana = db.as_user(db.user("ana", groups=["sales.group_salesperson"]))
    order = create_quote(ana, company_id, partner_id=customer.id, date_order=DAY, lines=[
        {"product_id": product.id, "quantity": 2, "unit_price": "10"} for product in (received, bought, plain)])
    assert [(line.cost, line.cost_source) for line in order.lines] == [
        (D("5.00"), "average cost"), (D("2.50"), "price of Ferretería Sol S.L."), (D("0.30"), "product cost")]
