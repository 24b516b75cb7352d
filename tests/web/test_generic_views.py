"""The generic list, form, record, delete and export views, on the contacts partner model."""
import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select

from addons.contacts.models import Partner
from addons.contacts.services import create_partner
from core.models import User


def partners(web, **where):
    statement = select(Partner).where(*(getattr(Partner, k) == v for k, v in where.items()))
    return web.db.system().scalars(statement).all()


def seed(web, count, **values):
    session = web.db.system()
    for number in range(count):
        create_partner(session, web.db.main_company.id, name=f"Partner {number:03d}", **values)
    session.commit()


def test_list_searches_filters_sorts_and_pages_on_the_server(web, clerk):
    seed(web, 60)
    session = web.db.system()
    create_partner(session, web.db.main_company.id, name="Zeta Holding", is_company=True, city="Bari")
    session.commit()
    page = clerk.get("/contacts/partners/").get_data(as_text=True)
    assert "Partner 000" in page and "Partner 049" in page and "Partner 050" not in page
    assert "Page 1 of 2" in page
    assert "Partner 050" in clerk.get("/contacts/partners/?page=2").get_data(as_text=True)
    found = clerk.get("/contacts/partners/?q=zeta").get_data(as_text=True)
    assert "Zeta Holding" in found and "Partner 001" not in found
    companies = clerk.get("/contacts/partners/?filter=companies").get_data(as_text=True)
    assert "Zeta Holding" in companies and "Partner 001" not in companies
    descending = clerk.get("/contacts/partners/?sort=name&dir=desc").get_data(as_text=True)
    assert descending.index("Zeta Holding") < descending.index("Partner 059")


def test_search_treats_percent_and_underscore_literally(web, clerk):
    seed(web, 3)
    assert "Partner 001" not in clerk.get("/contacts/partners/?q=%25").get_data(as_text=True)


def test_bad_list_parameters_fall_back_instead_of_failing(web, clerk):
    seed(web, 2)
    response = clerk.get("/contacts/partners/?sort=password&dir=sideways&page=-4&filter=nope")
    assert response.status_code == 200
    assert "Partner 000" in response.get_data(as_text=True)


def test_create_through_the_form_goes_through_the_service_and_is_audited(web, clerk):
    clerk.get("/contacts/partners/new")
    response = clerk.post("/contacts/partners/new", {"name": "  Nueva S.L. ", "is_company": "y", "email": "hola@nueva.es",
                                                    "country_code": "es", "lang": "es"})
    assert response.status_code == 302
    [partner] = partners(web, name="Nueva S.L.")
    assert (partner.country_code, partner.company_id) == ("ES", web.db.main_company.id)
    record = clerk.get(response.headers["Location"]).get_data(as_text=True)
    assert "Clerk" in record and "created this record" in record
    assert record.count("created this record") == 1  # one line for the creation, not one per field logged


def test_invalid_input_is_shown_next_to_the_field_and_nothing_is_saved(web, clerk):
    clerk.get("/contacts/partners/new")
    response = clerk.post("/contacts/partners/new", {"name": "Bad mail", "email": "not-an-email"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="email-errors"' in html and "is not an email address" in html
    assert partners(web, name="Bad mail") == []
    missing = clerk.post("/contacts/partners/new", {"email": "a@b.es"})
    assert 'id="name-errors"' in missing.get_data(as_text=True)


def test_a_hundred_thousand_characters_are_refused_with_a_message(web, clerk):
    clerk.get("/contacts/partners/new")
    response = clerk.post("/contacts/partners/new", {"name": "x" * 100_000})
    assert response.status_code == 422
    assert "Field cannot be longer than 120 characters." in response.get_data(as_text=True)
    assert partners(web) == []


def test_html_and_script_are_shown_escaped_everywhere(web, clerk):
    evil = '<script>alert("x")</script><b>bold</b>'
    clerk.get("/contacts/partners/new")
    response = clerk.post("/contacts/partners/new", {"name": evil, "city": evil[:100]})
    assert response.status_code == 302
    for url in ("/contacts/partners/", response.headers["Location"], response.headers["Location"] + "/edit"):
        html = clerk.get(url).get_data(as_text=True)
        assert "<script>alert" not in html
        assert "&lt;script&gt;" in html


def test_choosing_a_related_record_of_another_company_is_refused(web, clerk):
    other = web.db.company("Altra S.p.A.")
    system = web.db.system()
    foreign = create_partner(system, other.id, name="Foreign Co", is_company=True)
    system.commit()
    clerk.get("/contacts/partners/new")
    response = clerk.post("/contacts/partners/new", {"name": "Sneaky", "parent_id": str(foreign.id)})
    assert response.status_code == 422
    assert "This record does not exist or you may not use it." in response.get_data(as_text=True)
    assert partners(web, name="Sneaky") == []


def test_edit_changes_the_record_and_the_history_shows_old_and_new(web, clerk):
    seed(web, 1, city="Bilbao")
    [partner] = partners(web)
    clerk.get(f"/contacts/partners/{partner.id}/edit")
    response = clerk.post(f"/contacts/partners/{partner.id}/edit", {"name": partner.name, "city": "Milano"})
    assert response.status_code == 302
    html = clerk.get(f"/contacts/partners/{partner.id}").get_data(as_text=True)
    assert "<del>Bilbao</del>" in html and "<ins>Milano</ins>" in html


def test_delete_asks_first_and_needs_the_delete_grant(web, clerk):
    seed(web, 1)
    [partner] = partners(web)
    assert clerk.get(f"/contacts/partners/{partner.id}/delete").status_code == 403
    boss = web.client()
    web.db.user("boss", groups=["contacts.group_manager"])
    boss.login("boss")
    confirm = boss.get(f"/contacts/partners/{partner.id}/delete")
    assert confirm.status_code == 200 and "This cannot be undone." in confirm.get_data(as_text=True)
    assert partners(web, id=partner.id)
    assert boss.post(f"/contacts/partners/{partner.id}/delete").status_code == 302
    assert partners(web, id=partner.id) == []


def test_csv_and_xlsx_export_contain_what_the_user_may_read_and_nothing_else(web, clerk):
    other = web.db.company("Altra S.p.A.")
    seed(web, 3, city="Madrid")
    system = web.db.system()
    create_partner(system, other.id, name="Hidden Foreign", city="Roma")
    system.commit()
    exported = clerk.get("/contacts/partners/export.csv?q=Partner")
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(exported.get_data().decode("utf-8-sig"))))
    assert rows[0][:4] == ["Name", "Works at", "Email", "Phone"]
    assert [r[0] for r in rows[1:]] == ["Partner 000", "Partner 001", "Partner 002"]
    assert web.app.extensions["bottega"].engine.pool.checkedout() == 0  # the streamed lines gave theirs back
    workbook = load_workbook(io.BytesIO(clerk.get("/contacts/partners/export.xlsx").get_data()))
    names = [row[0] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert names == ["Partner 000", "Partner 001", "Partner 002"]
    assert clerk.get("/contacts/partners/export.pdf").status_code == 404


def test_export_of_a_model_the_user_may_not_read_is_refused(web):
    web.db.user("outsider", groups=["core.group_user"])
    client = web.client()
    client.login("outsider")
    response = client.get("/contacts/partners/export.csv")
    assert response.status_code == 403
    assert "text/html" in response.content_type


def test_searchable_select_options_respect_access_and_the_domain(web, clerk):
    seed(web, 2, is_company=True)
    session = web.db.system()
    create_partner(session, web.db.main_company.id, name="Person 001")
    session.commit()
    data = clerk.get("/options/contacts_partner/parent_id.json?q=001").get_json()
    assert [r["label"] for r in data["results"]] == ["Partner 001"]  # a person is no company to work at
    outsider = web.client()
    web.db.user("outsider", groups=["core.group_user"])
    outsider.login("outsider")
    assert outsider.get("/options/contacts_partner/parent_id.json").status_code == 403
    assert clerk.get("/options/nope/parent_id.json").status_code == 404
    assert clerk.get("/options/contacts_partner/name.json").status_code == 404  # not a relation
    assert clerk.get("/options/contacts_partner/nothing.json").status_code == 404


def test_a_list_is_narrowed_by_its_choice_yes_no_and_related_fields(web):
    from addons.products.services import create_product

    web.db.user("seller", groups=["products.group_user", "contacts.group_user"])
    client = web.client()
    client.login("seller")
    session = web.db.system()
    company = web.db.main_company.id
    create_product(session, company, code="CHAIR", name="Chair", kind="goods")
    create_product(session, company, code="FIT", name="Fitting", kind="service")
    create_product(session, company, code="OLD", name="Old lamp", kind="goods", active=False)
    session.commit()
    page = client.get("/products/products/").get_data(as_text=True)
    assert '<select name="by.kind"' in page and ">Service</option>" in page
    services = client.get("/products/products/?by.kind=service").get_data(as_text=True)
    assert "Fitting" in services and "Chair" not in services
    assert 'value="service" selected' in services
    assert "Fitting" in client.get("/products/products/?by.kind=Service&by.active=1").get_data(as_text=True)
    archived = client.get("/products/products/?by.active=0").get_data(as_text=True)
    assert "Old lamp" in archived and "Chair" not in archived
    junk = client.get("/products/products/?by.kind=shoes&by.active=maybe&by.nothing=1")
    assert junk.status_code == 200 and "Chair" in junk.get_data(as_text=True)
    too_large = client.get(f"/contacts/partners/?by.parent_id={2 ** 70}")
    assert too_large.status_code == 200


def test_the_history_shows_values_as_the_record_page_does_in_the_users_language(web, clerk):
    session = web.db.system()
    parent = create_partner(session, web.db.main_company.id, name="Grupo Norte", is_company=True)
    child = create_partner(session, web.db.main_company.id, name="Ana Ruiz", type="contact")
    session.commit()
    for values in ({"name": "Ana Ruiz", "type": "contact", "is_company": "y"},
                   {"name": "Ana Ruiz", "type": "invoice", "parent_id": str(parent.id)}):
        clerk.get(f"/contacts/partners/{child.id}/edit")
        assert clerk.post(f"/contacts/partners/{child.id}/edit", values).status_code == 302
    html = clerk.get(f"/contacts/partners/{child.id}").get_data(as_text=True)
    assert "<ins>Grupo Norte</ins>" in html and f"<ins>{parent.id}</ins>" not in html
    assert "<del>Yes</del>" in html and "<ins>No</ins>" in html and "True" not in html
    assert "<ins>Invoice address</ins>" in html and "<ins>invoice</ins>" not in html
    system = web.db.system()
    system.get(User, web.db.user("lucia", groups=["contacts.group_user"]).id).lang = "es"
    system.commit()
    lucia = web.client()
    lucia.login("lucia")
    spanish = lucia.get(f"/contacts/partners/{child.id}").get_data(as_text=True)
    assert "<del>Sí</del>" in spanish and "<ins>Dirección de facturación</ins>" in spanish
