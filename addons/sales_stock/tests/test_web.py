"""The quotation page shows where a line's cost comes from and warns of a quantity not there in time, in the
user's language."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from addons.contacts.services import create_partner
from addons.sales.services.quotes import create_quote
from addons.stock.tests.test_valuation import Books


def test_the_quote_page_shows_the_stock_cost_and_the_warning_in_spanish(web):
    manager = web.db.user("jefe", groups=["stock.group_manager", "products.group_manager"])
    company_id = web.db.main_company.id
    books = Books(web.db.as_user(manager), company_id)
    nut = books.product("NUT", "average", cost="4")
    books.receive(nut, 10, "5.00", 1)
    books.session.commit()
    system = web.db.system()
    customer = create_partner(system, company_id, name="Rossi Arredamenti", is_company=True)
    system.commit()
    ana = web.db.user("ana", groups=["sales.group_salesperson"], lang="es")
    seller = web.db.as_user(ana)
    order = create_quote(seller, company_id, partner_id=customer.id, date_order=dt.date.today(),
                         lines=[{"product_id": nut.id, "quantity": D(12), "unit_price": "9"}])
    seller.commit()
    client = web.client()
    client.login("ana")
    page = client.get(f"/sales/orders/{order.id}").get_data(as_text=True)
    assert "average cost" in page  # stored when priced (here outside a request, so in English)
    assert "line-warning" in page and "No disponible a tiempo" in page and "(10 en existencias)" in page
