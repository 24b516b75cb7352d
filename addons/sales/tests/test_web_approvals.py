"""The sales settings page, and approving a quotation from its page: the warnings a salesperson sees, the
request, the manager's approve and refuse buttons, and a salesperson's crafted POST refused."""
import datetime as dt
import re
from decimal import Decimal

from sqlalchemy import select

from addons.accounting.services.books import partner_accounts
from addons.contacts.models import Partner
from addons.contacts.services import create_partner
from addons.products.services import create_product
from addons.sales.models import APPROVAL, APPROVED, CONFIRMED, PENDING, REFUSED, SaleApproval, SaleOrder, SalesSettings
from addons.sales.services.quotes import create_quote
from addons.sales.services.settings import update_settings

TODAY = dt.date.today()


def _set_up(web, **settings):
    system = web.db.system()
    company = web.db.main_company
    drill = create_product(system, company.id, code="DRILL", name="Drill 18 V", list_price=Decimal(100),
                           cost=Decimal(60))
    customer = create_partner(system, company.id, name="Ferretería Ibérica S.L.", is_company=True)
    if settings:
        update_settings(system, company.id, **settings)
    system.commit()
    ana = web.db.user("ana", groups=["sales.group_salesperson"])
    web.db.user("boss", groups=["sales.group_manager"])
    session = web.db.as_user(ana)
    order = create_quote(session, company.id, partner_id=customer.id, date_order=TODAY,
                         lines=[{"product_id": drill.id, "quantity": 2}])  # 200, margin 80 (40%)
    session.commit()
    return order, customer


def _client(web, login):
    client = web.client()
    client.login(login)
    return client


def _approval(web, order_id):
    return web.db.system().scalars(select(SaleApproval).where(SaleApproval.order_id == order_id)
                                   .order_by(SaleApproval.id.desc())).first()


def test_a_sales_manager_keeps_the_settings_on_their_page_and_bad_values_are_refused(web):
    _set_up(web)
    boss = _client(web, "boss")
    page = boss.get("/sales/settings").get_data(as_text=True)
    assert 'name="min_margin_percent"' in page and 'name="credit_policy"' in page
    assert 'href="/sales/settings"' in boss.get("/sales/orders/").get_data(as_text=True)  # in the menu

    refused = boss.post("/sales/settings", {"min_margin_percent": "150", "margin_policy": "warn",
                                            "credit_policy": "warn"})
    assert refused.status_code == 422 and "100" in refused.get_data(as_text=True)
    unknown = boss.post("/sales/settings", {"min_margin_percent": "10", "margin_policy": "warn",
                                            "credit_policy": "sometimes"})
    assert unknown.status_code == 422
    assert web.db.system().scalars(select(SalesSettings)).all() == []

    saved = boss.post("/sales/settings", {"min_margin_percent": "45", "margin_policy": APPROVAL,
                                          "credit_policy": "block"})
    assert saved.status_code == 302
    row = web.db.system().scalars(select(SalesSettings)).one()
    assert (row.min_margin_percent, row.margin_policy, row.credit_policy) == (Decimal(45), APPROVAL, "block")


def test_a_salesperson_may_not_open_the_settings_page(web):
    _set_up(web)
    ana = _client(web, "ana")
    assert ana.get("/sales/settings").status_code == 403
    assert ana.post("/sales/settings", {"min_margin_percent": "0", "margin_policy": "warn",
                                         "credit_policy": "warn"}).status_code == 403
    listed = ana.get("/sales/orders/").get_data(as_text=True)
    assert 'href="/sales/orders/"' in listed and 'href="/sales/settings"' not in listed


def test_a_quote_under_the_minimum_margin_is_approved_from_its_page_then_confirmed(web):
    order, _customer = _set_up(web, min_margin_percent="50", margin_policy=APPROVAL)
    url = f"/sales/orders/{order.id}"
    ana, boss = _client(web, "ana"), _client(web, "boss")
    page = ana.get(url).get_data(as_text=True)
    assert "under the company&#39;s minimum of 50.00%" in page and "(40.0%)" in page
    assert "Request approval" in page and ">Approve<" not in page

    refused = ana.post(f"{url}/confirm", follow_redirects=True).get_data(as_text=True)
    assert "needs a sales manager&#39;s approval" in refused
    requested = ana.post(f"{url}/request-approval", follow_redirects=True).get_data(as_text=True)
    assert "Approval requested" in requested and "waiting for a sales manager" in requested
    approval = _approval(web, order.id)
    assert approval.state == PENDING

    # a salesperson's crafted POSTs: refused, nothing changes
    crafted = ana.post(f"/sales/approvals/{approval.id}/approve", follow_redirects=True).get_data(as_text=True)
    assert "Only a sales manager can approve or refuse" in crafted
    ana.post(f"/sales/approvals/{approval.id}/refuse", {"reason": "x"})
    assert _approval(web, order.id).state == PENDING

    manager_page = boss.get(url).get_data(as_text=True)
    assert ">Approve<" in manager_page and ">Refuse<" in manager_page
    no_reason = boss.post(f"/sales/approvals/{approval.id}/refuse", {"reason": ""}, follow_redirects=True)
    assert "Say why the approval is refused." in no_reason.get_data(as_text=True)
    boss.post(f"/sales/approvals/{approval.id}/refuse", {"reason": "Price too low"})
    assert _approval(web, order.id).state == REFUSED
    page = ana.get(url).get_data(as_text=True)
    assert "Refused by Boss" in page and "Price too low" in page and "Request approval" in page

    ana.post(f"{url}/request-approval")
    again = _approval(web, order.id)
    assert again.id != approval.id and again.state == PENDING
    approved = boss.post(f"/sales/approvals/{again.id}/approve", follow_redirects=True).get_data(as_text=True)
    assert "Approved: the quotation can be confirmed." in approved
    decided = _approval(web, order.id)
    assert (decided.state, decided.decided_by.login) == (APPROVED, "boss") and decided.decided_at is not None
    assert "Approved by Boss" in ana.get(url).get_data(as_text=True)

    confirmed = ana.post(f"{url}/confirm", follow_redirects=True).get_data(as_text=True)
    assert "is a sales order now" in confirmed
    assert web.db.system().get(SaleOrder, order.id).state == CONFIRMED
    assert "Checks before confirming" not in confirmed and "under the company's minimum" not in confirmed


def test_the_quote_shows_the_customer_s_balance_limit_and_overdue_amount_when_over_the_limit(web):
    order, customer = _set_up(web, credit_policy="block")
    system = web.db.system()
    partner_accounts(system, system.get(Partner, customer.id)).credit_limit = Decimal(150)
    system.commit()
    url = f"/sales/orders/{order.id}"
    ana = _client(web, "ana")
    page = ana.get(url).get_data(as_text=True)
    box = page[page.index('aria-label="Checks before confirming"'):]
    box = box[:box.index("</section>")]
    assert "Ferretería Ibérica S.L. would owe" in box and "Confirming is blocked." in box
    for label, amount in (("Open balance", "0.00"), ("This quotation", "200.00"), ("Credit limit", "150.00"),
                          ("Overdue", "0.00")):
        assert re.search(rf"<dt>{label}</dt><dd>[^<]*{re.escape(amount)}</dd>", box), label
    assert "Request approval" not in page  # blocked: there is nothing to approve
    refused = ana.post(f"{url}/confirm", follow_redirects=True).get_data(as_text=True)
    assert "cannot be confirmed" in refused and "credit policy" in refused
    assert web.db.system().get(SaleOrder, order.id).state != CONFIRMED


def test_a_customer_in_good_standing_shows_no_credit_box(web):
    order, _customer = _set_up(web, credit_policy="block")
    page = _client(web, "ana").get(f"/sales/orders/{order.id}").get_data(as_text=True)
    assert "Checks before confirming" not in page and "Request approval" not in page
