"""Through the pages: the opportunity's "New quotation" button, the quotation's opportunity, the opportunity's
quotations panel (with its warning once they are all declined), and nothing for who may not read it."""
import re

from sqlalchemy import select

from addons.sales.models import SaleOrder
from addons.sales.services import quotes
from addons.sales.services.acceptance import decline_quote

from .conftest import drills, make_deal


def test_an_opportunity_is_quoted_from_its_page_and_each_page_shows_the_other(web):
    deal = make_deal(web.db)
    ana = web.client()
    ana.login("ana")
    opportunity_url = f"/crm/opportunities/{deal.opportunity.id}"
    page = ana.get(opportunity_url).get_data(as_text=True)
    action = f"/sales_crm/opportunities/{deal.opportunity.id}/quote"
    assert f'action="{action}"' in page and "New quotation" in page
    made = ana.post(action)
    assert made.status_code == 302
    order_id = int(re.search(r"/sales/orders/(\d+)$", made.headers["Location"]).group(1))
    quote_page = ana.get(made.headers["Location"]).get_data(as_text=True)
    assert "Opportunity" in quote_page and "Drills for the new shop" in quote_page
    assert "Ferretería Ibérica S.L." in quote_page
    assert f'href="{opportunity_url}"' in quote_page and "Open the opportunity" in quote_page

    system = web.db.system()
    order = system.get(SaleOrder, order_id)
    quotes.update_quote(system, order, lines=drills(deal, 3))
    system.commit()
    page = ana.get(opportunity_url).get_data(as_text=True)
    assert "Quotations" in page and f"Draft quotation {order_id}" in page and "€300.00" in page
    assert "still open" not in page

    quotes.mark_sent(system, system.get(SaleOrder, order_id))
    system.commit()
    assert "still open" not in ana.get(opportunity_url).get_data(as_text=True)
    decline_quote(system, system.get(SaleOrder, order_id), reason="Your competitor delivers next week")
    system.commit()
    page = ana.get(opportunity_url).get_data(as_text=True)
    assert "All quotations declined or cancelled: the opportunity is still open." in page
    assert "Declined · €300.00 · Your competitor delivers next week" in page


def test_a_salesperson_cannot_quote_an_opportunity_they_may_not_read(web):
    deal = make_deal(web.db)
    bruno = web.client()
    bruno.login("bruno")
    before = web.db.system().scalar(select(SaleOrder.id).order_by(SaleOrder.id.desc()).limit(1))
    assert bruno.post(f"/sales_crm/opportunities/{deal.opportunity.id}/quote").status_code == 404
    assert web.db.system().scalar(select(SaleOrder.id).order_by(SaleOrder.id.desc()).limit(1)) == before
