"""The OpenAPI document and its page follow the installed addons."""
from addons.contacts.security import USER as CONTACTS_USER

from .conftest import ApiClient, make_key


def test_the_document_describes_every_resource_with_the_installed_extensions(web):
    anonymous = web.app.test_client(use_cookies=False)
    answer = anonymous.get("/api/v1/openapi.json")
    assert answer.status_code == 200
    document = answer.get_json()
    assert document["openapi"].startswith("3.1")
    paths, schemas = document["paths"], document["components"]["schemas"]
    assert {"get", "post"} <= set(paths["/contacts/partners"]) and "patch" in paths["/contacts/partners/{id}"]
    assert "post" in paths["/accounting/invoices/{id}/actions/register_payment"]
    assert "/crm/leads/{id}/actions/qualify" in paths
    partner = schemas["ContactsPartner"]["properties"]
    assert "credit_limit" in partner and "import_hash" not in partner and "active" not in partner
    create = schemas["ContactsPartnerCreate"]
    assert create["additionalProperties"] is False and create["properties"]["name"]["maxLength"] == 120
    assert "lines" in schemas["AccountingInvoiceCreate"]["properties"]
    page = anonymous.get("/api/docs")
    assert page.status_code == 200 and "/contacts/partners" in page.get_data(as_text=True)


def test_an_uninstalled_addon_has_no_endpoint_nor_schema(served, catalog):
    client_of, _url = served(catalog, ["contacts"])
    browser = client_of()
    document = browser.client.get("/api/v1/openapi.json").get_json()
    assert "/contacts/partners" in document["paths"]
    assert not any(path.startswith("/accounting/") for path in document["paths"])
    assert "credit_limit" not in document["components"]["schemas"]["ContactsPartner"]["properties"]
    assert browser.client.get("/api/v1/accounting/invoices").status_code in (401, 404)


def test_the_same_resource_answers_what_its_schema_says(web):
    user = web.db.user("clerk", groups=[CONTACTS_USER])
    client = ApiClient(web.app, make_key(web, user))
    made = client.post("/api/v1/contacts/partners", json={"name": "Schema Co"})
    assert made.status_code == 201
    refused = client.post("/api/v1/accounting/invoices", json={"partner_id": made.get_json()["id"]})
    assert refused.status_code == 403  # no access to accounting's records, as in the UI
    listed = client.get("/api/v1/contacts/partners").get_json()
    document = web.app.test_client().get("/api/v1/openapi.json").get_json()
    properties = document["components"]["schemas"]["ContactsPartner"]["properties"]
    for row in [made.get_json(), *listed["data"]]:
        assert set(row) <= set(properties)
