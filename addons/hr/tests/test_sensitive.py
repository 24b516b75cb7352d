"""The sensitive fields (national id, social security number, bank account, wage): only HR officers read them, by
page, URL, export or JSON; nobody filters, groups or sums them in SQL (their tokens are random)."""
import json

import pytest


@pytest.mark.parametrize("who", ["eva", "boss", "other"])
def test_nobody_but_an_officer_reads_the_wage_by_url_export_or_json(people, login, who):
    client = login(people["users"][who])
    contract = people["contract"]
    for url in (f"/hr/contracts/{contract}", "/hr/contracts/", "/hr/contracts/export.csv",
                "/hr/contracts/export.xlsx", "/hr/contracts/pivot?measure=wage"):
        response = client.get(url)
        assert response.status_code in (403, 404), url
        assert "2345" not in response.get_data(as_text=True), url
    answer = client.get(f"/hr/contracts/{contract}", headers={"Accept": "application/json"})
    assert answer.status_code in (403, 404) and "2345" not in answer.get_data(as_text=True)


@pytest.mark.parametrize("who", ["eva", "boss"])
def test_the_private_data_is_in_no_export_page_or_json_of_a_non_officer(people, login, who):
    client = login(people["users"][who])
    exported = client.get("/hr/employees/export.csv")
    assert exported.status_code == 200
    text = exported.get_data(as_text=True)
    assert "Eva Ruiz" in text and "12345678Z" not in text and "National id" not in text
    page = client.get(f"/hr/employees/{people['eva']}").get_data(as_text=True)
    assert "Eva Ruiz" in page and "12345678Z" not in page and "ES91" not in page
    answer = client.get(f"/hr/employees/{people['eva']}", headers={"Accept": "application/json"})
    assert answer.status_code == 200 and "12345678Z" not in answer.get_data(as_text=True)
    assert "national_id" not in json.dumps(answer.get_json())


def test_an_officer_reads_them_and_the_export_carries_them(people, login):
    client = login(people["users"]["hr"])
    assert "2345" in client.get(f"/hr/contracts/{people['contract']}").get_data(as_text=True)
    assert "12345678Z" in client.get("/hr/employees/export.csv").get_data(as_text=True)


@pytest.mark.parametrize("url", [
    "/hr/contracts/pivot?measure=wage",
    "/hr/contracts/?where=wage:gt:100",
    "/hr/employees/?where=national_id:eq:12345678Z",
    "/hr/employees/?group=national_id",
    "/hr/employees/pivot?group=bank_account",
])
def test_encrypted_fields_are_not_filtered_grouped_or_summed(people, login, url):
    response = login(people["users"]["hr"]).get(url)
    page = response.get_data(as_text=True)
    assert response.status_code in (200, 400), page[:400]
    assert "gAAAA" not in page
    assert "You cannot" in page or "cannot be" in page or "no such field" in page, page[:2000]
