"""Business actions through the API: the services of the installed addons, refused as the UI refuses them."""
from decimal import Decimal

from sqlalchemy import select

from addons.accounting.models import Invoice
from addons.accounting.security import ACCOUNTANT, BILLING
from addons.contacts.security import USER as CONTACTS_USER

INVOICES = "/api/v1/accounting/invoices"


def _invoice(client, partner_id):
    made = client.post(INVOICES, json={"partner_id": partner_id, "date": "2026-03-02", "lines": [
        {"description": "Consulting", "quantity": "2", "unit_price": "50.00"}]})
    assert made.status_code == 201, made.get_data(as_text=True)
    return made.get_json()


def test_create_post_and_pay_an_invoice(api):
    client = api(api.web.db.user("acc", groups=[CONTACTS_USER, ACCOUNTANT]), scopes=["write"])
    customer = client.post("/api/v1/contacts/partners", json={"name": "Cliente API"}).get_json()
    invoice = _invoice(client, customer["id"])
    assert invoice["state"] == "draft" and invoice["amount_untaxed"] == "100.00"
    posted = client.post(f"{INVOICES}/{invoice['id']}/actions/post")
    assert posted.status_code == 200, posted.get_data(as_text=True)
    assert posted.get_json()["state"] == "posted" and posted.get_json()["number"]
    total = posted.get_json()["amount_total"]
    paid = client.post(f"{INVOICES}/{invoice['id']}/actions/register_payment",
                       json={"amount": total, "date": "2026-03-10"})
    assert paid.status_code == 200, paid.get_data(as_text=True)
    assert paid.get_json()["payment_state"] == "paid" and Decimal(paid.get_json()["residual"]) == 0


def test_a_key_without_write_scope_cannot_post_and_nothing_changes(api):
    user = api.web.db.user("acc", groups=[CONTACTS_USER, ACCOUNTANT])
    writer = api(user, scopes=["write"])
    customer = writer.post("/api/v1/contacts/partners", json={"name": "Cliente"}).get_json()
    invoice = _invoice(writer, customer["id"])
    reader = api(user, scopes=["read"])
    refused = reader.post(f"{INVOICES}/{invoice['id']}/actions/post")
    assert refused.status_code == 403 and refused.mimetype == "application/problem+json"
    contacts_only = api(user, scopes=["contacts:write", "accounting:read"])
    assert contacts_only.post(f"{INVOICES}/{invoice['id']}/actions/post").status_code == 403
    with api.web.db.factory() as session:
        assert session.get(Invoice, invoice["id"]).state == "draft"


def test_a_refused_action_writes_nothing_and_names_the_field(api):
    client = api(api.web.db.user("acc", groups=[CONTACTS_USER, ACCOUNTANT]))
    customer = client.post("/api/v1/contacts/partners", json={"name": "Cliente"}).get_json()
    invoice = _invoice(client, customer["id"])
    bad = client.post(f"{INVOICES}/{invoice['id']}/actions/register_payment", json={"amount": "-5", "date": "x"})
    assert bad.status_code == 422
    assert {"amount", "date"} <= {error["field"] for error in bad.get_json()["errors"]}
    unknown = client.post(f"{INVOICES}/{invoice['id']}/actions/fly")
    assert unknown.status_code == 404
    billing = api(api.web.db.user("bill", groups=[CONTACTS_USER, BILLING]))
    posted = client.post(f"{INVOICES}/{invoice['id']}/actions/post").get_json()
    changed = billing.patch(f"{INVOICES}/{invoice['id']}", json={"reference": "changed"})
    assert changed.status_code in (403, 422), changed.get_data(as_text=True)
    with api.web.db.factory() as session:
        stored = session.scalars(select(Invoice).where(Invoice.id == invoice["id"])).one()
        assert stored.reference == posted["reference"] and stored.state == "posted"
