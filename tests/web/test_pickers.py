"""Pickers on the server: what the combobox is offered, what a form accepts, countries and dates as typed."""
import datetime as dt

from sqlalchemy import select

from addons.contacts.models import Partner, Tag
from addons.contacts.services import create_partner, create_tag
from addons.crm.models import Lead
from addons.hr.models import Employee, LeaveRequest
from addons.hr.services import create_department, create_employee, update_department

TAGS = "/options/contacts_partner/tags"
PARENTS = "/options/contacts_partner/parent_id"


def labels(response) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [row["label"] for row in response.get_json()["results"]]


def test_options_match_the_search_term_within_the_users_companies(web, clerk):
    session = web.db.system()
    other = web.db.company("Altra S.p.A.")
    for name in ("Alhambra S.L.", "Almacenes Sur S.A.", "Bodegas Norte S.L."):
        create_partner(session, web.db.main_company.id, name=name, is_company=True)
    foreign = create_partner(session, other.id, name="Alhambra Italia S.r.l.", is_company=True)
    create_tag(session, web.db.main_company.id, name="VIP")
    create_tag(session, other.id, name="VIP estero")
    session.commit()
    assert labels(clerk.get(PARENTS + ".json?q=alh")) == ["Alhambra S.L."]
    assert labels(clerk.get(PARENTS + ".json?q=AL")) == ["Alhambra S.L.", "Almacenes Sur S.A."]
    assert labels(clerk.get(PARENTS + ".json?q=%25")) == []  # a wildcard typed is a character
    assert labels(clerk.get(TAGS + ".json?q=vip")) == ["VIP"]
    assert labels(clerk.get(f"{PARENTS}.json?ids={foreign.id}")) == []  # asked by id: still not readable
    both = web.db.user("both", groups=["contacts.group_user"], companies=[web.db.main_company, other])
    client = web.client()
    client.login(both.login)
    assert labels(client.get(PARENTS + ".json?q=alh")) == ["Alhambra Italia S.r.l.", "Alhambra S.L."]
    client.post("/switch-company", {"company_id": [str(other.id)]})
    assert labels(client.get(PARENTS + ".json?q=alh")) == ["Alhambra Italia S.r.l."]


def test_options_follow_record_rules_and_a_crafted_id_is_refused_on_submit(web):
    """A team manager reads their team's employees only (an HR record rule, not a company one): the leave form's
    employee picker offers those, and a crafted id of someone outside the team is refused."""
    session = web.db.system()
    company_id = web.db.main_company.id
    boss = web.db.user("boss", groups=["hr.group_manager"])
    sales = create_department(session, company_id, name="Sales")
    create_employee(session, company_id, name="Boss Bianchi", user_id=boss.id, department_id=sales.id)
    eva = create_employee(session, company_id, name="Eva Ruiz", department_id=sales.id)
    other = create_employee(session, company_id, name="Eugenio Otero")
    update_department(session, sales, manager_id=session.scalar(select(Employee.id).where(
        Employee.user_id == boss.id)))
    session.commit()
    client = web.client()
    client.login("boss")
    assert labels(client.get("/options/hr_leave/employee_id.json?q=i")) == ["Boss Bianchi", "Eva Ruiz"]
    assert labels(client.get(f"/options/hr_leave/employee_id.json?ids={other.id}&ids={eva.id}")) == ["Eva Ruiz"]
    page = client.get("/hr/leaves/new").get_data(as_text=True)
    assert "Eugenio Otero" not in page  # nor in the plain select without script
    response = client.post("/hr/leaves/new", {"employee_id": str(other.id), "date_from": "2026-12-28",
                                              "date_to": "2026-12-29", "reason": ""})
    assert response.status_code == 422
    assert "This record does not exist or you may not use it." in response.get_data(as_text=True)
    assert web.db.system().scalars(select(LeaveRequest).where(LeaveRequest.employee_id == other.id)).all() == []


def test_a_tag_of_another_company_is_refused_on_submit(web, clerk):
    other = web.db.company("Altra S.p.A.")
    session = web.db.system()
    foreign = create_tag(session, other.id, name="Estero")
    session.commit()
    clerk.get("/contacts/partners/new")
    response = clerk.post("/contacts/partners/new", {"name": "Sneaky", "tags": [str(foreign.id)]})
    assert response.status_code == 422
    assert web.db.system().scalars(select(Partner).where(Partner.name == "Sneaky")).all() == []


def test_the_form_offers_creating_only_to_who_may_create(web, clerk):
    page = clerk.get("/contacts/partners/new").get_data(as_text=True)
    assert f'data-create-url="{TAGS}/create"' in page and 'data-new-url="/contacts/tags/new"' in page
    web.db.user("reader", groups=["crm.group_readonly"])
    reader = web.client()
    reader.login("reader")
    reader.get("/crm/leads/")
    assert reader.post_json("/options/contacts_partner/tags/create", {"name": "X"}).status_code == 403


def test_quick_create_by_name_goes_through_the_rules(web, clerk):
    response = clerk.post_json(TAGS + "/create", {"name": "  Mayorista "})
    assert response.status_code == 200, response.get_data(as_text=True)
    created = response.get_json()
    tag = web.db.system().get(Tag, created["id"])
    assert (created["label"], tag.name, tag.company_id) == ("Mayorista", "Mayorista", web.db.main_company.id)
    assert clerk.post_json(TAGS + "/create", {"name": "   "}).status_code == 422
    assert clerk.post_json(TAGS + "/create", {"name": 12}).status_code == 400
    # a new partner would be a person, which "Works at" does not take: refused, nothing written
    refused = clerk.post_json(PARENTS + "/create", {"name": "Persona Nueva"})
    assert refused.status_code == 422
    assert web.db.system().scalars(select(Partner).where(Partner.name == "Persona Nueva")).all() == []


def test_a_country_is_picked_from_a_list_and_a_typed_name_is_read(web):
    web.db.user("lucia", groups=["contacts.group_user"], lang="es")
    client = web.client()
    client.login("lucia")
    page = client.get("/contacts/partners/new").get_data(as_text=True)
    assert '<option value="ES" data-search="ES Spain España Spagna">España</option>' in page
    assert 'value="EU"' not in page
    for typed in ("ES", "Spagna", "España"):
        response = client.post("/contacts/partners/new", {"name": f"Cliente {typed}", "country_code": typed})
        assert response.status_code == 302, response.get_data(as_text=True)
        assert web.db.system().scalars(select(Partner.country_code).where(Partner.name == f"Cliente {typed}")).one() == "ES"
    response = client.post("/contacts/partners/new", {"name": "Cliente SP", "country_code": "SP"})
    assert response.status_code == 422
    assert "SP no es un país" in response.get_data(as_text=True)
    assert web.db.system().scalars(select(Partner).where(Partner.name == "Cliente SP")).all() == []


def test_a_spanish_user_types_and_reads_dates_as_dd_mm_yyyy(web):
    web.db.user("lucia", groups=["crm.group_manager"], lang="es")
    client = web.client()
    client.login("lucia")
    page = client.get("/crm/leads/new").get_data(as_text=True)
    assert 'data-date-pattern="dd/MM/yyyy"' in page and 'placeholder="31/12/2026"' in page
    response = client.post("/crm/leads/new", {"name": "Reforma", "date_deadline": "5/3/2027"})
    assert response.status_code == 302, response.get_data(as_text=True)
    lead = web.db.system().scalars(select(Lead).where(Lead.name == "Reforma")).one()
    assert lead.date_deadline == dt.date(2027, 3, 5)
    assert 'value="05/03/2027"' in client.get(f"/crm/leads/{lead.id}/edit").get_data(as_text=True)
    for typed in ("12/31/2027", "31/02/2027", "pronto"):
        response = client.post(f"/crm/leads/{lead.id}/edit", {"name": "Reforma", "date_deadline": typed})
        assert response.status_code == 422
        assert f"{typed} no es una fecha: escríbela como 31/12/2026." in response.get_data(as_text=True)
    assert web.db.system().get(Lead, lead.id).date_deadline == dt.date(2027, 3, 5)


def test_an_english_user_types_month_first(web):
    web.db.user("mary", groups=["crm.group_manager"], lang="en")
    client = web.client()
    client.login("mary")
    response = client.post("/crm/leads/new", {"name": "Refit", "date_deadline": "3/5/2027"})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert web.db.system().scalars(select(Lead.date_deadline).where(Lead.name == "Refit")).one() == dt.date(2027, 3, 5)
