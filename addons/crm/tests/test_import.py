"""Importing leads from CSV and XLSX through the generic engine: checked, all or nothing, never twice."""
import io

import pytest
from click.testing import CliRunner
from openpyxl import Workbook
from sqlalchemy import func, select

from addons.crm import automation
from addons.crm.importing import LeadImport
from addons.crm.models import Lead
from core.chatter.models import Message
from core.catalog import Catalog
from core.cli import Context, cli
from core.errors import AccessDenied
from core.imports import engine, read_file, run_import
from core.models import AuditLog, JobRecord
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


# --- streamed in chunks, written set-wise --------------------------------------------------------


def test_a_bad_line_at_the_end_of_a_file_written_in_chunks_rolls_everything_back(db_copy, monkeypatch):
    monkeypatch.setattr(engine, "CHUNK", 7)  # the good chunks before the bad line are written, then taken back
    session = importer(db_copy)
    table = read_file(csv_bytes(leads_file(40, bad_line=41)), "late.csv")
    report = run_import(session, LeadImport(session, db_copy.main_company.id), table)
    assert (report.ok, report.committed, report.created) == (False, False, 0)
    assert [(i.line, i.column) for i in report.errors] == [(41, "Correo")]
    session.commit()
    system = db_copy.system()
    assert count_leads(db_copy) == 0
    assert system.scalar(select(func.count(Message.id))) == 0
    assert system.scalar(select(func.count(AuditLog.id)).where(AuditLog.table_name == "crm_lead")) == 0
    assert system.scalar(select(func.count(JobRecord.id)).where(JobRecord.name == "crm.new_lead")) == 0


def test_only_the_first_errors_are_kept_with_a_count_of_all(db_copy):
    session = importer(db_copy)
    lines = [line.replace("@example.es", "(at)example.es") for line in leads_file(150)]
    report = run_import(session, LeadImport(session, db_copy.main_company.id), read_file(csv_bytes(lines), "x.csv"))
    assert (report.error_count, len(report.errors), report.with_errors) == (150, engine.KEPT_ISSUES, 150)
    assert report.errors[0].line == 2 and len(report.lines) == engine.KEPT_LINES
    session.rollback()


def test_a_line_repeating_one_of_an_earlier_chunk_is_an_error_and_a_rerun_says_every_line_is_there(
        db_copy, monkeypatch):
    monkeypatch.setattr(engine, "CHUNK", 7)
    session = importer(db_copy)
    lines = leads_file(20)
    repeated = read_file(csv_bytes([*lines, lines[3], lines[5].replace("Consulta 5", "Otra consulta")]), "r.csv")
    report = run_import(session, LeadImport(session, db_copy.main_company.id), repeated)
    assert [(i.line, str(i.message)) for i in report.errors] == [
        (22, "This line repeats line 4."), (23, "Same Email as line 6.")]
    session.rollback()
    table = read_file(csv_bytes(lines), "leads.csv")
    assert run_import(session, LeadImport(session, db_copy.main_company.id), table).created == 20
    session.commit()
    again = run_import(session, LeadImport(session, db_copy.main_company.id), table)
    assert (again.ok, again.created, again.existing, again.new) == (True, 0, 20, 0)
    assert str(again.warnings[0].message) == "Imported before as Consulta 1: this line will be skipped."
    session.commit()
    assert count_leads(db_copy) == 20


def test_imported_leads_are_audited_announced_and_their_rules_queued_in_batches(db_copy, monkeypatch):
    monkeypatch.setattr(automation, "LEADS_PER_JOB", 4)
    session = importer(db_copy)
    report = run_import(session, LeadImport(session, db_copy.main_company.id),
                        read_file(csv_bytes(leads_file(10)), "leads.csv"))
    assert report.committed
    session.commit()
    system = db_copy.system()
    ids = system.scalars(select(Lead.id).where(Lead.source == "import").order_by(Lead.id)).all()
    audited = system.execute(select(AuditLog.record_id, AuditLog.action, AuditLog.user_id)
                             .where(AuditLog.table_name == "crm_lead")).all()
    assert sorted(audited) == [(lead_id, "create", session.info["actor"].user_id) for lead_id in ids]
    created = system.scalars(select(Message).where(Message.res_model == "crm_lead")).all()
    assert sorted((m.res_id, m.kind, m.shown_body, m.author_id) for m in created) == [
        (lead_id, "system", "Lead created (Import).", session.info["actor"].user_id) for lead_id in ids]
    jobs = system.scalars(select(JobRecord).where(JobRecord.name == "crm.new_lead").order_by(JobRecord.id)).all()
    assert [job.arguments["lead_ids"] for job in jobs] == [ids[0:4], ids[4:8], ids[8:10]]
    automation.save_rule(system, db_copy.main_company.id, name="Quotes", action="classify",
                         parameters={"keywords": {"quote_request": ["consulta"]}})
    for job in jobs:  # what the crm.new_lead job runs
        automation.run_rules_for_new_leads(system, job.arguments["lead_ids"])
    system.commit()
    assert set(system.scalars(select(Lead.category).where(Lead.id.in_(ids)))) == {"quote_request"}


def test_a_salesperson_imports_only_what_their_record_rules_allow(db_copy):
    from addons.crm.security import SALESPERSON

    ana = db_copy.user("ana", groups=[SALESPERSON])
    db_copy.user("luis", groups=[SALESPERSON])
    session = db_copy.as_user(ana)
    own = read_file(csv_bytes(["Asunto;Correo;Comercial", "Mine;mine@example.es;ana"]), "own.csv")
    assert run_import(session, LeadImport(session, db_copy.main_company.id), own).committed
    session.commit()
    others = read_file(csv_bytes(["Asunto;Correo;Comercial", "His;his@example.es;luis"]), "others.csv")
    with pytest.raises(AccessDenied, match="may not create Lead"):
        run_import(session, LeadImport(session, db_copy.main_company.id), others)
    session.rollback()
    other_company = db_copy.company("Other S.L.")
    mine = read_file(csv_bytes(["Asunto;Correo", "Elsewhere;else@example.es"]), "else.csv")
    with pytest.raises(AccessDenied, match="may not create Lead"):
        run_import(session, LeadImport(session, other_company.id), mine)
    session.rollback()
    assert db_copy.system().scalars(select(Lead.name)).all() == ["Mine"]


def test_a_line_imported_before_by_someone_the_salesperson_may_not_read_is_not_named_to_them(db_copy):
    from addons.crm.security import SALESPERSON

    ana = db_copy.user("ana", groups=[SALESPERSON])
    luis = db_copy.user("luis", groups=[SALESPERSON])
    his = read_file(csv_bytes(["Asunto;Correo;Comercial", "His;his@example.es;luis"]), "his.csv")
    session = db_copy.as_user(luis)
    assert run_import(session, LeadImport(session, db_copy.main_company.id), his).committed
    session.commit()
    session = db_copy.as_user(ana)  # the same line: Ana may not read Luis's lead, so it is not "imported before"
    with pytest.raises(AccessDenied, match="may not create Lead"):
        run_import(session, LeadImport(session, db_copy.main_company.id), his)
    session.rollback()
    mine = read_file(csv_bytes(["Asunto;Correo;Comercial", "Mine;mine@example.es;ana"]), "mine.csv")
    assert run_import(session, LeadImport(session, db_copy.main_company.id), mine).committed
    session.commit()
    again = run_import(session, LeadImport(session, db_copy.main_company.id), mine)
    assert (again.committed, again.created, again.existing) == (True, 0, 1)
    assert str(again.warnings[0].message) == "Imported before as Mine: this line will be skipped."
    session.commit()
    assert sorted(db_copy.system().scalars(select(Lead.name))) == ["His", "Mine"]
