"""CRM fields are declared once (core.fields): the lead form, an import, a service call and the public capture
form all refuse the same bad values, naming the field, and write nothing."""
import io
from decimal import Decimal
from email.headerregistry import Address
from email.message import EmailMessage

import pytest
from sqlalchemy import func, select

from addons.crm import capture, services
from addons.crm.importing import LeadImport
from addons.crm.models import OPPORTUNITY, Lead, LostReason, Stage, StageChange, Team
from core.chatter.models import Message
from core.errors import ValidationError
from core.imports import ImportFileError, read_file, run_import
from core.testing import ADMIN_PASSWORD, finish_task

HUGE = "x" * 100_000


def lead_count(db) -> int:
    return db.system().scalar(select(func.count(Lead.id)))


# --- the lead form (web client) -----------------------------------------------------------------


@pytest.fixture
def admin(web):
    client = web.client()
    client.login("admin", ADMIN_PASSWORD)
    return client


def test_the_lead_form_and_list_take_their_labels_and_columns_from_the_fields(web, admin):
    form = admin.get("/crm/leads/new").get_data(as_text=True)
    for label in ("Title", "Company name", "Salesperson", "Expected closing", "Quote request", "Web form"):
        assert label in form, label
    assert 'name="stage_id"' not in form  # a lead is not in a pipeline yet
    assert 'name="kind"' not in form  # only the services qualify a lead
    session = web.db.system()
    services.create_lead(session, web.db.main_company.id, name="Shelving", email="ana@example.es",
                         country_code="Spain", category="question")
    session.commit()
    listing = admin.get("/crm/leads/").get_data(as_text=True)
    # the country is stored as ES and shown by its name
    assert "Salesperson" in listing and "ana@example.es" in listing and "Question" in listing and "Spain" in listing


def test_an_italian_salesperson_sees_the_lead_fields_and_choices_in_italian(web):
    web.db.user("giulia", groups=["crm.group_salesperson"], lang="it")
    client = web.client()
    client.login("giulia")
    form = client.get("/crm/leads/new").get_data(as_text=True)
    for text in ("Titolo", "Nome dell&#39;azienda", "Chiusura prevista", "Richiesta di preventivo"):
        assert text in form, text
    assert "Expected closing" not in form and "Quote request" not in form


def test_the_lines_the_system_writes_on_a_lead_read_in_each_readers_language(web):
    session = web.db.system()
    lead = services.create_lead(session, web.db.main_company.id, name="Shelving", email="ana@example.es",
                                source="web")
    services.mark_won(session, lead)
    session.commit()
    web.db.user("giulia", groups=["crm.group_manager"], lang="it")
    web.db.user("lucia", groups=["crm.group_manager"], lang="es")
    pages = {}
    for login in ("giulia", "lucia"):
        client = web.client()
        client.login(login)
        pages[login] = client.get(f"/crm/opportunities/{lead.id}").get_data(as_text=True)
    assert "Lead creato (Modulo web)." in pages["giulia"] and "Vinta." in pages["giulia"]
    assert "Iniciativa creada (Formulario web)." in pages["lucia"] and "Ganada." in pages["lucia"]
    assert "Lead created" not in pages["giulia"] + pages["lucia"]


@pytest.mark.parametrize("field, value", [("category", "gossip"), ("source", "carrier pigeon")])
def test_a_choice_outside_the_list_sent_by_the_lead_form_is_a_field_error(web, admin, field, value):
    admin.get("/crm/leads/new")
    response = admin.post("/crm/leads/new", {"name": "Shelving", field: value})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-errors"' in page and "Not a valid choice" in page
    assert lead_count(web.db) == 0


@pytest.mark.parametrize("field, length", [("name", 255), ("contact_name", 120), ("partner_name", 120)])
def test_a_100000_character_text_sent_by_the_lead_form_is_a_field_error(web, admin, field, length):
    admin.get("/crm/leads/new")
    response = admin.post("/crm/leads/new", {"name": "Shelving", field: HUGE})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-errors"' in page and f"longer than {length} characters" in page
    assert lead_count(web.db) == 0


def test_a_new_opportunity_from_the_form_goes_to_the_chosen_stage_through_the_service(web, admin):
    session = web.db.system()
    company = web.db.main_company.id
    new, proposal = (Stage(company_id=company, name=name, sequence=n) for n, name in enumerate(("New", "Proposal")))
    session.add_all([new, proposal])
    session.commit()
    admin.get("/crm/opportunities/new")
    response = admin.post("/crm/opportunities/new", {"name": "Shelving", "stage_id": str(proposal.id),
                                                     "expected_revenue": "1200"})
    assert response.status_code == 302, response.get_data(as_text=True)
    lead = web.db.system().scalars(select(Lead)).one()
    assert (lead.kind, lead.stage_id, lead.expected_revenue) == (OPPORTUNITY, proposal.id, Decimal("1200.00"))
    moves = web.db.system().scalars(select(StageChange.to_stage_id).where(StageChange.lead_id == lead.id)).all()
    assert moves == [proposal.id]


# --- a service call ---------------------------------------------------------------------------------


@pytest.mark.parametrize("values, field, message", [
    ({"category": "gossip"}, "category", "Category: gossip is not one of the choices"),
    ({"source": "carrier pigeon"}, "source", "Source: carrier pigeon is not one of the choices"),
    ({"name": HUGE}, "name", "Title: At most 255 characters (this has 100000)."),
    ({"contact_name": HUGE}, "contact_name", "Contact: At most 120 characters (this has 100000)."),
    ({"phone": "call me maybe"}, "phone", "Phone: call me maybe is not a phone number"),
    ({"expected_revenue": "-1"}, "expected_revenue", "Expected revenue: It must be at least 0."),
    ({"state": "won"}, "state", "Status: It cannot be changed any more."),
    ({"kind": OPPORTUNITY}, "kind", "There is no field kind here."),
])
def test_a_bad_value_given_to_create_lead_is_refused_naming_the_field(db, values, field, message):
    session = db.system()
    with pytest.raises(ValidationError) as error:
        services.create_lead(session, db.main_company.id, **{"name": "Shelving", **values})
    assert error.value.field == field and message in str(error.value)
    session.rollback()
    assert lead_count(db) == 0


def test_every_wrong_field_is_reported_at_once(db):
    with pytest.raises(ValidationError) as error:
        services.create_lead(db.system(), db.main_company.id, name="Shelving", email="nope", category="gossip",
                             country_code="Atlantis")
    assert set(error.value.errors) == {"email", "category", "country_code"}


@pytest.mark.parametrize("values, field, message", [
    ({"category": "gossip"}, "category", "gossip is not one of the choices"),
    ({"partner_name": HUGE}, "partner_name", "At most 120 characters (this has 100000)."),
    ({"source": "web"}, "source", "It cannot be changed any more."),
    ({"probability": "90"}, "probability", "It cannot be changed any more."),
    ({"name": ""}, "name", "This field is required."),
])
def test_a_bad_change_given_to_update_lead_is_refused_naming_the_field(db, values, field, message):
    session = db.system()
    lead = services.create_lead(session, db.main_company.id, name="Shelving", category="question")
    session.commit()
    with pytest.raises(ValidationError) as error:
        services.update_lead(session, lead, **values)
    assert error.value.field == field and message in str(error.value)
    session.rollback()
    stored = db.system().get(Lead, lead.id)
    assert (stored.name, stored.category, stored.source, stored.partner_name) == ("Shelving", "question", "manual",
                                                                                  None)


def test_a_lead_is_linked_only_to_an_active_team_and_lost_only_for_an_active_reason(db):
    session = db.system()
    company = db.main_company.id
    closed = Team(company_id=company, name="Closed", active=False)
    retired = LostReason(company_id=company, name="Retired", active=False)
    session.add_all([closed, retired])
    session.flush()
    with pytest.raises(ValidationError) as error:
        services.create_lead(session, company, name="Shelving", team_id=closed.id)
    assert error.value.field == "team_id"
    lead = services.create_lead(session, company, name="Shelving")
    with pytest.raises(ValidationError, match="Choose one of the active lost reasons.") as error:
        services.mark_lost(session, lead, lost_reason_id=retired.id)
    assert error.value.field == "lost_reason_id" and lead.state == "open"


def test_a_note_too_long_for_the_timeline_is_refused_before_the_lead_is_lost(db):
    session = db.system()
    reason = LostReason(company_id=db.main_company.id, name="No budget")
    session.add(reason)
    lead = services.create_lead(session, db.main_company.id, name="Shelving")
    with pytest.raises(ValidationError) as error:
        services.mark_lost(session, lead, lost_reason_id=reason.id, note=HUGE + "x")
    assert error.value.field == "body" and "At most 100000 characters" in str(error.value)
    assert lead.state == "open"


# --- an import file ---------------------------------------------------------------------------------


def import_leads(db, lines):
    session = db.as_user(db.user("importer", groups=["crm.group_manager"]))
    report = run_import(session, LeadImport(session, db.main_company.id),
                        read_file("\n".join(lines).encode(), "leads.csv"))
    session.commit()
    return report


def test_a_lead_column_is_importable_as_declared_by_its_label(db_copy):
    ana = db_copy.user("ana", groups=["crm.group_salesperson"])
    report = import_leads(db_copy, ["Asunto;Correo;Category;Expected closing;Salesperson",
                                    "Estanterías;ana@example.es;Quote request;31/12/2027;ana"])
    assert report.ok, [str(issue) for issue in report.errors]
    lead = db_copy.system().scalars(select(Lead)).one()
    assert (lead.category, lead.date_deadline.isoformat(), lead.source, lead.user_id) == (
        "quote_request", "2027-12-31", "import", ana.id)


@pytest.mark.parametrize("header, good, bad, field, message", [
    ("Category", "Question", "gossip", "category", "gossip is not one of the choices"),
    ("Contacto", "Lucía", "y" * 30_000, "contact_name", "At most 120 characters (this has 30000)."),
    ("Asunto", "Estanterías", "y" * 30_000, "name", "At most 255 characters (this has 30000)."),
    ("Correo", "ana@example.es", "not-an-email", "email", "not-an-email is not an email address."),
    ("Team", "", "Nowhere", "team_id", "No team has this name, or you may not use it."),
])
def test_a_bad_cell_is_reported_on_its_field_and_nothing_is_imported(db_copy, header, good, bad, field, message):
    report = import_leads(db_copy, [f"Empresa;{header}", f"Ferretería Ibérica;{good}", f"Talleres Levante;{bad}"])
    assert not report.ok and report.created == 0
    [issue] = report.errors
    assert (issue.line, issue.column, issue.field) == (3, header, field)
    assert message in str(issue.message)
    assert lead_count(db_copy) == 0


def test_a_100000_character_cell_is_refused_with_the_file(db_copy):
    with pytest.raises(ImportFileError, match="line 2: a cell may hold at most 32767 characters"):
        read_file(f"Asunto;Contacto\nShelving;{HUGE}".encode(), "leads.csv")
    assert lead_count(db_copy) == 0


def web_import(client, url: str, csv: str, columns: list[str]):
    """Upload ``csv`` to an import page; (the preview page, the answer to importing it with ``columns``)."""
    client.get(url)
    uploaded = client.post(url, {"file": (io.BytesIO(csv.encode()), "leads.csv")}, content_type="multipart/form-data")
    preview = uploaded.headers["Location"]
    page = client.get(preview).get_data(as_text=True)
    mapping = {f"column-{number}": name for number, name in enumerate(columns, start=1)}
    return page, client.post(preview, {"action": "import", **mapping})


@pytest.mark.parametrize("cell, message", [("gossip", "gossip is not one of the choices"),
                                           ("y" * 300, "At most 255 characters (this has 300).")])
def test_the_leads_import_page_refuses_a_bad_cell_naming_it_and_imports_nothing(web, admin, task_worker, cell,
                                                                              message):
    bad = "Asunto;Correo;Category\n" + ("Estanterías;ana@example.es;" + cell if cell == "gossip"
                                        else cell + ";ana@example.es;Question")
    page, answer = web_import(admin, "/crm/leads/import", bad, ["name", "email", "category"])
    assert message in page and answer.status_code == 422
    assert lead_count(web.db) == 0
    _page, answer = web_import(admin, "/crm/leads/import", "Asunto;Correo;Category\nEstanterías;ana@example.es;"
                               "Question", ["name", "email", "category"])
    finish_task(admin, answer)
    lead = web.db.system().scalars(select(Lead)).one()
    assert (lead.name, lead.category, lead.source, lead.import_hash is not None) == (
        "Estanterías", "question", "import", True)


def test_the_opportunities_import_page_names_stages_and_offers_no_field_the_services_set(web, admin, task_worker):
    session = web.db.system()
    session.add_all([Stage(company_id=web.db.main_company.id, name=name, sequence=n)
                     for n, name in enumerate(("New", "Proposal"))])
    session.commit()
    page, answer = web_import(admin, "/crm/opportunities/import", "Title;Stage;Expected revenue\nShelving;Proposal;"
                              "1200", ["name", "stage_id", "expected_revenue"])
    assert '<option value="stage_id"' in page
    for service_set in ("state", "probability", "lost_reason_id", "closed_at", "kind"):
        assert f'<option value="{service_set}"' not in page, service_set
    finish_task(admin, answer)
    lead = web.db.system().scalars(select(Lead)).one()
    assert (lead.kind, lead.stage.name, lead.expected_revenue) == (OPPORTUNITY, "Proposal", Decimal("1200.00"))


# --- the public capture form and incoming email ---------------------------------------------------


@pytest.mark.parametrize("field, value, message", [
    ("name", HUGE, "At most 120 characters (this has 100000)."),
    ("company", HUGE, "At most 120 characters (this has 100000)."),
    ("subject", HUGE, "At most 255 characters (this has 100000)."),
    ("country", "Atlantis", "Atlantis is not a country"),
])
def test_the_public_form_refuses_what_the_lead_fields_refuse_naming_its_own_field(web, web_team, field, value,
                                                                                   message):
    client = web.client()
    response = client.client.post(f"/crm/capture/{web_team.capture_key}",
                                  json={"email": "ana@example.es", field: value})
    assert response.status_code == 422
    assert response.get_json()["field"] == field and message in response.get_json()["error"]
    html = client.client.post(f"/crm/capture/{web_team.capture_key}", data={"email": "ana@example.es", field: value})
    assert html.status_code == 422 and message in html.get_data(as_text=True)
    assert lead_count(web.db) == 0


def test_a_mail_is_cut_to_the_fields_rather_than_lost(db):
    session = db.system()
    team = Team(company_id=db.main_company.id, name="Mail")
    session.add(team)
    session.flush()
    mail = EmailMessage()
    mail["From"] = Address("Lucía " * 40, addr_spec="lucia@example.es")
    mail["Subject"] = "Presupuesto " * 100
    mail.set_content("Necesito estanterías. " * 5000)
    result = capture.from_email(session, team, mail.as_bytes())
    lead = session.get(Lead, result.lead_id)
    assert (len(lead.name), len(lead.contact_name), len(lead.description)) == (255, 120, 20_000)
    message = session.scalars(select(Message).where(Message.kind == "email_in")).one()
    assert (message.res_model, message.res_id) == ("crm_lead", lead.id)
    assert (len(message.subject), len(message.body)) == (998, 100_000)
