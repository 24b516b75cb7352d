"""Importing leads from CSV and XLSX through the generic engine: checked, all or nothing, never twice."""
import io

from click.testing import CliRunner
from openpyxl import Workbook
from sqlalchemy import func, select

from addons.crm.importing import LeadImport
from addons.crm.models import Lead
from core.catalog import Catalog
from core.cli import Context, cli
from core.imports import read_file, run_import
from tests.lifecycle_helpers import write_config


def csv_bytes(lines, encoding="utf-8"):
    return "\n".join(lines).encode(encoding)


def leads_file(count, bad_line=None):
    lines = ["Asunto;Nombre;Empresa;Correo;País;Importe"]
    for number in range(1, count + 1):
        email = "not-an-email" if number + 1 == bad_line else f"cliente{number}@example.es"
        lines.append(f"Consulta {number};Cliente {number};Empresa {number} S.L.;{email};ES;{number}0,50")
    return lines


def count_leads(db):
    return db.system().scalar(select(func.count(Lead.id)))


def importer(db):
    user = db.user("importer", groups=["crm.group_manager"])
    return db.as_user(user)


def test_a_good_file_is_imported_once_and_a_rerun_creates_nothing(db_copy):
    session = importer(db_copy)
    table = read_file(csv_bytes(leads_file(30)), "leads.csv")
    report = run_import(session, LeadImport(session, db_copy.main_company.id), table)
    assert (report.ok, report.created) == (True, 30), [str(i) for i in report.errors]
    session.commit()
    lead = db_copy.system().scalars(select(Lead).where(Lead.email == "cliente7@example.es")).one()
    assert (lead.name, lead.partner_name, lead.source, str(lead.expected_revenue)) == (
        "Consulta 7", "Empresa 7 S.L.", "import", "70.50")
    again = run_import(session, LeadImport(session, db_copy.main_company.id), read_file(csv_bytes(leads_file(30)),
                                                                                         "leads.csv"))
    session.commit()
    assert again.created == 0 and count_leads(db_copy) == 30


def test_a_malformed_email_on_line_5000_is_reported_and_nothing_is_stored(db_copy):
    session = importer(db_copy)
    table = read_file(csv_bytes(leads_file(5000, bad_line=5000)), "big.csv")
    report = run_import(session, LeadImport(session, db_copy.main_company.id), table)
    assert not report.ok and report.created == 0
    [issue] = report.errors
    assert (issue.line, issue.column, issue.field) == (5000, "Correo", "email")
    assert "not-an-email is not an email address." in str(issue.message)
    session.rollback()
    assert count_leads(db_copy) == 0


def test_duplicate_rows_in_a_file_are_flagged(db_copy):
    session = importer(db_copy)
    lines = leads_file(3)
    lines.append(lines[2])
    report = run_import(session, LeadImport(session, db_copy.main_company.id), read_file(csv_bytes(lines), "d.csv"))
    assert not report.ok
    assert any(issue.line == 5 for issue in report.errors)
    session.rollback()
    assert count_leads(db_copy) == 0


def test_a_latin_1_file_and_an_xlsx_file_are_read(db_copy):
    session = importer(db_copy)
    latin = read_file(csv_bytes(["Asunto;Correo", "Cotización;ana@example.es"], "latin-1"), "latin.csv")
    assert run_import(session, LeadImport(session, db_copy.main_company.id), latin).created == 1
    workbook = Workbook()
    workbook.active.append(["Oggetto", "Email", "Paese"])
    workbook.active.append(["Preventivo arredi", "marco@example.it", "IT"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    xlsx = read_file(buffer.getvalue(), "lead.xlsx")
    assert run_import(session, LeadImport(session, db_copy.main_company.id), xlsx).created == 1
    session.commit()
    assert {lead.name for lead in db_copy.system().scalars(select(Lead))} == {"Cotización", "Preventivo arredi"}


def test_the_cli_imports_leads_with_a_report(tmp_path, initialized_url):
    from tests.lifecycle_helpers import Bottega, query

    config = write_config(tmp_path, initialized_url)
    run = Bottega(config, Catalog.discover())
    assert run("addons", "install", "crm").exit_code == 0
    path = tmp_path / "leads.csv"
    path.write_bytes(csv_bytes(leads_file(12)))
    result = CliRunner().invoke(cli, ["--config", str(config), "import", "leads", str(path), "--user", "admin",
                                      "--quiet"], obj=Context(catalog=Catalog.discover()))
    assert result.exit_code == 0, result.output
    assert query(initialized_url, "SELECT count(*) FROM crm_lead WHERE source = 'import'") == [(12,)]
