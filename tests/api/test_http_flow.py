"""The whole flow of docs/api.md's client example over real HTTP: a server on loopback, httpx as the client."""
import httpx
from sqlalchemy import select

from core.api.keys import create_key
from core.models import User
from core.security import actor_session
from core.sessions import make_session_factory
from tests.e2e.conftest import bottega_run, spanish_database

ADDONS = ["contacts", "accounting"]


def _admin_key(engine, registry) -> str:
    with actor_session(make_session_factory(engine), registry, None) as session:
        admin = session.scalars(select(User).where(User.login == "admin")).one()
        _key, secret = create_key(session, admin, name="shop", scopes=["contacts:write", "accounting:write"])
        session.commit()
    return secret


def test_create_a_customer_invoice_it_post_it_and_pay_it_over_http(databases, tmp_path):
    url, engine, registry = spanish_database(databases, "Tienda API S.L.", ADDONS)
    secret = _admin_key(engine, registry)
    with bottega_run(url, ADDONS, tmp_path) as base:
        with httpx.Client(base_url=f"{base}/api/v1", headers={"Authorization": f"Bearer {secret}"},
                          timeout=30) as api:
            customer = api.post("/contacts/partners", json={"name": "Cliente Web", "email": "c@example.com"})
            assert customer.status_code == 201, customer.text
            draft = {"partner_id": customer.json()["id"], "date": "2026-03-02",
                     "lines": [{"description": "Consultoría", "quantity": "3", "unit_price": "40.00"}]}
            invoice = api.post("/accounting/invoices", json=draft, headers={"Idempotency-Key": "inv-1"})
            retried = api.post("/accounting/invoices", json=draft, headers={"Idempotency-Key": "inv-1"})
            assert invoice.status_code == retried.status_code == 201, invoice.text
            assert retried.json()["id"] == invoice.json()["id"]
            number = invoice.json()["id"]
            posted = api.post(f"/accounting/invoices/{number}/actions/post")
            assert posted.status_code == 200 and posted.json()["state"] == "posted", posted.text
            paid = api.post(f"/accounting/invoices/{number}/actions/register_payment",
                            json={"amount": posted.json()["amount_total"], "date": "2026-03-15"})
            assert paid.status_code == 200 and paid.json()["payment_state"] == "paid", paid.text
            listed = api.get("/accounting/invoices", params={"payment_state": "paid", "fields": "number,state"})
            assert [row["id"] for row in listed.json()["data"]] == [number]
            refused = httpx.get(f"{base}/api/v1/accounting/invoices", timeout=30)
            assert refused.status_code == 401 and refused.headers["content-type"] == "application/problem+json"
    engine.dispose()
