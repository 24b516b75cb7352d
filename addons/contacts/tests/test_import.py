"""Importing partners from CSV and XLSX, with the bad input of the CRM issue: a wrong encoding, a missing
required column, a malformed email on line 5,000, duplicate rows. Each gets a clear report and stores nothing."""
import io

import pytest
from click.testing import CliRunner
from openpyxl import Workbook
from sqlalchemy import func, select

from addons.contacts.importing import PartnerImport
from addons.contacts.models import Partner, Tag
from addons.contacts.services import create_partner
from core.catalog import Catalog
from core.cli import Context, cli
from core.db import make_engine
from core.imports import ImportFileError
from core.imports import EXISTS, NEW, analyse, read_file, run_import
from core.models import AuditLog
from tests import bombs

HEADER = "Nombre;Empresa;Es empresa;Correo electrónico;Teléfono;Dirección;CP;Ciudad;País;NIF;Idioma;Etiquetas\n"
SAMPLE = HEADER + (
    "Ferretería Ibérica S.L.;;sí;info@iberica.es;+34 911 222 333;Calle Mayor 1;28013;Madrid;España;B12345674;"
    "Español;Cliente, VIP\n"
    "Lucía Martín;Ferretería Ibérica S.L.;no;lucia@iberica.es;;;;Madrid;España;;es;Cliente\n"
    "Rossi Arredamenti S.r.l.;;sí;info@rossi.it;;Via Roma 1;20121;Milano;Italia;IT01114601006;italiano;\n"
    "Giulia Rossi;Rossi Arredamenti S.r.l.;no;giulia@rossi.it;;;;Milano;IT;;;\n"
    "Panadería del Sol;;sí;;;;;Sevilla;ES;;;\n"
)


@pytest.fixture
def clerk(db):
    return db.user("clerk", groups=["contacts.group_user"])


@pytest.fixture
def session(db, clerk):
    return db.as_user(clerk)


def stored(db) -> int:
    with db.factory() as check:  # closed at once, so its savepoint does not interleave with the test's session
        return check.scalar(select(func.count(Partner.id)))


def do_import(session, db, data: bytes, filename="clientes.csv", mapping=None, dry_run=False, encoding=None):
    table = read_file(data, filename, encoding)
    return run_import(session, PartnerImport(session, db.main_company.id), table, mapping, dry_run=dry_run)


def test_a_spanish_file_maps_itself_links_people_to_companies_and_is_audited(db, session, clerk):
    report = do_import(session, db, SAMPLE.encode("utf-8-sig"))
    assert report.ok and report.committed, [str(i) for i in report.issues]
    assert report.created == 5 and [line.status for line in report.lines] == [NEW] * 5
    assert report.mapping == {0: "name", 1: "parent", 2: "is_company", 3: "email", 4: "phone", 5: "street",
                              6: "zip", 7: "city", 8: "country_code", 9: "vat", 10: "lang", 11: "tags"}
    session.commit()
    system = db.system()
    lucia = system.scalars(select(Partner).where(Partner.name == "Lucía Martín")).one()
    assert (lucia.parent.name, lucia.country_code, lucia.lang, [t.name for t in lucia.tags]) == (
        "Ferretería Ibérica S.L.", "ES", "es", ["Cliente"])
    rossi = system.scalars(select(Partner).where(Partner.name == "Rossi Arredamenti S.r.l.")).one()
    assert (rossi.vat, rossi.country_code, rossi.lang, rossi.is_company) == ("01114601006", "IT", "it", True)
    assert sorted(system.scalars(select(Tag.name))) == ["Cliente", "VIP"]
    created = system.scalars(select(AuditLog.record_id).where(AuditLog.user_id == clerk.id, AuditLog.action == "create",
                                                              AuditLog.table_name == "contacts_partner")).all()
    assert sorted(created) == sorted(system.scalars(select(Partner.id)))  # one entry per imported partner


def test_running_the_same_file_again_creates_nothing_twice(db, session):
    first = do_import(session, db, SAMPLE.encode())
    session.commit()
    again = do_import(session, db, SAMPLE.encode())
    assert again.ok and again.committed and again.created == 0
    assert [(line.status, line.existing) for line in again.lines] == [
        (EXISTS, "Ferretería Ibérica S.L."), (EXISTS, "Lucía Martín"), (EXISTS, "Rossi Arredamenti S.r.l."),
        (EXISTS, "Giulia Rossi"), (EXISTS, "Panadería del Sol")]  # tax id, email + name, or the line's hash
    assert "imported before as panadería del sol".lower() in str(again.issues_of(6)[0]).lower()
    assert stored(db) == first.created == 5


def test_a_partner_entered_by_hand_is_recognised_by_its_tax_id(db, session):
    create_partner(session, db.main_company.id, name="Iberica (manual)", is_company=True, vat="ESB12345674",
                   country_code="ES")
    report = do_import(session, db, SAMPLE.encode(), dry_run=True)
    assert report.lines[0].status == EXISTS
    assert str(report.issues_of(2)[0].message) == (
        "Already exists as Iberica (manual) (same tax ID): this line will be skipped.")


def test_a_windows_1252_file_is_detected_and_says_so(db, session):
    report = do_import(session, db, SAMPLE.encode("cp1252"), dry_run=True)
    assert report.ok and report.encoding == "cp1252"
    assert "clientes.csv is not UTF-8 text; it was read as Windows-1252" in str(report.notices[0])
    assert report.lines[0].values["name"] == "Ferretería Ibérica S.L."


def test_a_file_in_the_wrong_encoding_is_refused_with_the_line_and_stores_nothing(db, session):
    with pytest.raises(ImportFileError, match="clientes.csv is not utf-8 text: line 1 has a byte it cannot decode"):
        do_import(session, db, SAMPLE.encode("cp1252"), encoding="utf-8")
    with pytest.raises(ImportFileError, match="does not look like a text CSV file"):
        do_import(session, db, SAMPLE.encode("utf-16-le"))
    assert stored(db) == 0


def test_a_missing_required_column_is_reported_before_reading_lines(db, session):
    data = "Correo;Ciudad\nana@example.es;Madrid\n".encode()
    report = do_import(session, db, data)
    assert [str(issue) for issue in report.errors] == [
        "Required column Name is missing: name a column of the file Name, or map one to it."]
    assert report.lines == [] and stored(db) == 0
    mapped = do_import(session, db, data, mapping={"Correo": "name"}, dry_run=True)  # the person can map one
    assert mapped.ok and mapped.lines[0].values["name"] == "ana@example.es"


def test_a_malformed_email_on_line_5000_is_reported_and_nothing_is_stored(db, session):
    lines = ["Name,Email,City"] + [f"Partner {n:04d},partner{n}@example.com,Bari" for n in range(2, 5001)]
    lines[-1] = "Partner 5000,partner5000(at)example.com,Bari"
    assert len(lines) == 5000
    report = do_import(session, db, ("\n".join(lines) + "\n").encode())
    assert not report.committed and report.created == 0
    assert [(i.line, i.column, str(i.message)) for i in report.errors] == [
        (5000, "Email", "partner5000(at)example.com is not an email address.")]
    assert (report.total, report.new, report.with_errors) == (4999, 4998, 1)
    assert stored(db) == 0


def test_duplicate_rows_and_repeated_tax_ids_in_the_file_are_errors_and_nothing_is_stored(db, session):
    data = (HEADER
            + "Acme S.L.;;sí;info@acme.es;;;;Madrid;ES;B12345674;;\n"
            + "Beta S.L.;;sí;;;;;Madrid;ES;;;\n"
            + "Acme S.L.;;sí;info@acme.es;;;;Madrid;ES;B12345674;;\n"     # line 4 repeats line 2
            + "ACME, SL;;sí;;;;;Madrid;ES;ES-B12345674;;\n"                # line 5: same tax id as line 2
            + "Beta  s.l.;;SI;;;;;madrid;es;;;\n")                         # line 6: line 3 with other spacing
    report = do_import(session, db, data.encode())
    assert [(i.line, i.column, str(i.message)) for i in report.errors] == [
        (4, None, "This line repeats line 2."),
        (5, "NIF", "Same tax ID as line 2."),
        (6, None, "This line repeats line 3."),
    ]
    assert not report.committed and stored(db) == 0


def test_each_wrong_cell_is_reported_on_its_own_column(db, session):
    data = (HEADER
            + "Bad Tax;;sí;;;;;;ES;B12345675;;\n"
            + "Nowhere Person;Ghost Company;no;;;;;;Atlantis;;klingon;\n"
            + "Typo;;maybe;a@b;12;;;;;;;\n")
    report = do_import(session, db, data.encode())
    assert [(i.line, i.column, str(i.message)) for i in report.errors] == [
        (2, "NIF", "B12345675 is not a valid Spanish CIF. The check digit is wrong: look for a mistyped character."),
        (3, "País", "Atlantis is not a country: write its name (Spain, España, Spagna) or its two-letter code (ES)."),
        (3, "Idioma", "klingon is not a language: use English, Spanish or Italian (en, es, it)."),
        (4, "Es empresa", "maybe is not yes or no."),
        (4, "Correo electrónico", "a@b is not an email address."),
        (4, "Teléfono", "12 is not a phone number: use digits, spaces and an optional leading +."),
    ]
    fixed = do_import(session, db, (HEADER + "Nowhere Person;Ghost Company;no;;;;;;ES;;;\n"
                                    + "Typo;;no;a@b;12;;;;;;;\n").encode())
    assert [(i.line, i.column, str(i.message)) for i in fixed.errors] == [
        (2, "Empresa", "There is no company called Ghost Company among your partners or in this file."),
        (3, "Correo electrónico", "a@b is not an email address."),
        (3, "Teléfono", "12 is not a phone number: use digits, spaces and an optional leading +."),
    ]
    assert stored(db) == 0


def test_a_type_outside_its_choices_and_a_name_too_long_are_refused_on_their_column(db, session):
    data = ("Name;Is a company;Company;Type;Country\n"
            "Acme S.L.;yes;;;Spain\n"
            "Ana;no;Acme S.L.;warehouse;ES\n"
            + "x" * 1000 + ";no;;;ES\n").encode()
    report = do_import(session, db, data)
    assert [(i.line, i.column, str(i.message)) for i in report.errors] == [
        (3, "Type", "warehouse is not a contact type: write contact, invoice or delivery."),
        (4, "Name", "At most 120 characters (this has 1000)."),
    ]
    assert not report.committed and stored(db) == 0
    with pytest.raises(ImportFileError, match="clientes.csv, line 4: a cell may hold at most 32767 characters; "
                                              "the one in column Name has 100000."):
        do_import(session, db, data.replace(b"x" * 1000, b"x" * 100_000))
    assert stored(db) == 0
    fixed = do_import(session, db, data.replace(b"warehouse", b"invoice").replace(b"x" * 1000, b"Beta"))
    assert fixed.committed, [str(i) for i in fixed.issues]
    session.commit()
    acme, ana, beta = db.system().scalars(select(Partner).order_by(Partner.id)).all()
    assert (acme.country_code, ana.parent_id, ana.type, beta.name) == ("ES", acme.id, "invoice", "Beta")


def test_a_new_partner_column_is_importable_by_its_label(db, session):
    """The import's fields come from the field layer: a file fills any field by its name or label."""
    report = do_import(session, db, "Name;Street (2nd line);Mobile\nAcme;Piso 3;+34 600 11 22 33\n".encode())
    assert report.mapping == {0: "name", 1: "street2", 2: "mobile"} and report.committed
    session.commit()
    partner = db.system().scalars(select(Partner)).one()
    assert (partner.street2, partner.mobile) == ("Piso 3", "+34 600 11 22 33")


def test_similar_names_and_shared_emails_are_flagged_but_do_not_stop_the_import(db, session):
    create_partner(session, db.main_company.id, name="Rossi Arredamenti SRL", email="info@rossi.it", is_company=True)
    report = do_import(session, db, "Name,Email\nRossi Arredamenti S.r.l.,\nMario Rossi,info@rossi.it\n".encode(),
                       dry_run=True)
    assert report.ok
    assert [(i.line, i.column, str(i.message)) for i in report.warnings] == [
        (2, "Name", "Looks like Rossi Arredamenti SRL, an existing partner with a similar name."),
        (3, "Email", "Rossi Arredamenti SRL, an existing partner, has the same email."),
    ]


def test_xlsx_files_are_imported_too(db, session):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Ragione sociale", "Partita IVA", "Paese", "Telefono", "Tipo soggetto"])
    sheet.append(["Officine Fiorentine S.p.A.", "00743110157", "Italia", 55123456, "azienda"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = do_import(session, db, buffer.getvalue(), filename="aziende.xlsx")
    assert report.committed, [str(i) for i in report.issues]
    session.commit()
    partner = db.system().scalars(select(Partner)).one()
    assert (partner.name, partner.vat, partner.phone, partner.is_company) == (
        "Officine Fiorentine S.p.A.", "00743110157", "55123456", True)


def test_a_user_who_may_not_create_partners_cannot_import(db):
    reader = db.as_user(db.user("reader", groups=["core.group_user"]))
    with pytest.raises(Exception, match="may not create Partner"):
        analyse(reader, PartnerImport(reader, db.main_company.id), read_file(SAMPLE.encode(), "x.csv"))


# --- the command line ------------------------------------------------------------------------


@pytest.fixture
def run(tmp_path, initialized_url):
    """``run(*arguments)``: the bottega command on a database with contacts installed."""
    config = tmp_path / "bottega.toml"
    config.write_text(f'[database]\nurl = "{initialized_url}"\n[addons]\nenabled = ["contacts"]\n')
    catalog = Catalog.discover()

    def invoke(*args):
        return CliRunner().invoke(cli, ["--config", str(config), *args], obj=Context(catalog=catalog))

    assert invoke("addons", "apply").exit_code == 0
    return invoke


def test_the_cli_imports_with_a_mapping_dry_run_and_progress_and_refuses_bad_files(tmp_path, initialized_url, run):
    path = tmp_path / "clientes.csv"
    path.write_bytes(("Razón social;Fax;Correo\n" + "".join(
        f"Cliente {n:03d};555;c{n}@example.es\n" for n in range(250))).encode("utf-8-sig"))
    engine = make_engine(initialized_url)

    def count():
        with engine.connect() as connection:
            return connection.scalar(select(func.count(Partner.id)))

    try:
        dry = run("import", "contacts", str(path), "--dry-run", "--mapping", "Fax=")
        assert dry.exit_code == 0, dry.output
        assert "Checking" in dry.output and "250 new, 0 already there (skipped), 0 with errors" in dry.output
        assert "dry run: nothing was stored" in dry.output and count() == 0

        done = run("import", "contacts", str(path), "-m", "Fax=", "--user", "admin")
        assert done.exit_code == 0, done.output
        assert "Importing" in done.output and "imported 250 record(s)" in done.output and count() == 250

        again = run("import", "contacts", str(path), "-m", "Fax=")
        assert "0 new, 250 already there (skipped)" in again.output and count() == 250

        bad = tmp_path / "malos.csv"
        bad.write_bytes("Nombre;Correo\nUno;uno@example.es\nDos;dos(at)example.es\n".encode())
        report = tmp_path / "report.csv"
        refused = run("import", "contacts", str(bad), "--report", str(report))
        assert refused.exit_code == 2
        assert "error: line 3, Correo: dos(at)example.es is not an email address." in refused.output
        assert "nothing was imported: 1 problem(s) in malos.csv" in refused.output
        assert "3,Correo,error,dos(at)example.es is not an email address." in report.read_text()

        wrong = run("import", "contacts", str(bad), "--mapping", "Correo=colour")
        assert wrong.exit_code == 2 and "Unknown field colour" in wrong.output
        assert count() == 250
    finally:
        engine.dispose()


def test_the_cli_refuses_files_built_to_exhaust_the_server_and_stores_nothing(tmp_path, initialized_url, run):
    bomb, line = tmp_path / "bomb.xlsx", tmp_path / "line.csv"
    bomb.write_bytes(bombs.zip_bomb())
    with line.open("wb") as handle:  # 100 MB on one line, without writing them: the size alone is refused
        handle.write(b"Name;")
        handle.truncate(100 * bombs.MEGABYTE)
    refused = run("import", "contacts", str(bomb))
    assert refused.exit_code == 2
    assert "bomb.xlsx is not read: its part xl/worksheets/sheet1.xml is compressed more than 200 times" \
        in refused.output
    too_big = run("import", "contacts", str(line))
    assert too_big.exit_code == 2
    assert "line.csv is 100.0 MB; an import file may have at most 32.0 MB" in too_big.output
    engine = make_engine(initialized_url)
    try:
        with engine.connect() as connection:
            assert connection.scalar(select(func.count(Partner.id))) == 0
    finally:
        engine.dispose()


# --- the fields other addons add to partners ---------------------------------------------------

from sqlalchemy import ForeignKey, String  # noqa: E402
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column  # noqa: E402

from core.fields import Extension, field  # noqa: E402


class OtherBase(DeclarativeBase):
    """Another addon's models, outside the installed schema: the test creates their tables itself."""


class Source(OtherBase):
    __tablename__ = "test_rating_source"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))


class PartnerRating(OtherBase):
    __tablename__ = "test_partner_rating"

    partner_id: Mapped[int] = mapped_column(ForeignKey(Partner.id, ondelete="CASCADE"), primary_key=True)
    rating: Mapped[int | None] = mapped_column(info=field("Rating", minimum=1, maximum=5))
    source_id: Mapped[int | None] = mapped_column(ForeignKey(Source.id), info=field("Rated by"))


@pytest.fixture
def rating(db, monkeypatch):
    """A system session on a database where another addon adds a rating and its source to partners."""
    system = db.system()
    OtherBase.metadata.create_all(system.connection())
    system.add(Source(id=7, name="Cerved"))
    monkeypatch.setitem(db.registry.extensions, Partner, (Extension(Partner, PartnerRating),))
    return system


def test_the_fields_another_addon_adds_to_partners_are_imported_and_checked(db, rating):
    data = "Name;Rating;Rated by\nAcme;4;cerved\nBeta;9;\nGamma;;Nobody Ltd\nDelta;;\n".encode()
    report = do_import(rating, db, data)
    assert [(i.line, i.column, str(i.message)) for i in report.errors] == [
        (3, "Rating", "It must be at most 5."),
        (4, "Rated by", "No rated by has this name, or you may not use it."),
    ]
    assert rating.scalar(select(func.count(Partner.id))) == 0
    report = do_import(rating, db, data.replace(b"Beta;9;", b"Beta;2;").replace(b"Gamma;;Nobody Ltd", b"Gamma;;"))
    assert report.committed, [str(i) for i in report.issues]
    rows = rating.execute(select(Partner.name, PartnerRating.rating, PartnerRating.source_id)
                          .join(PartnerRating, PartnerRating.partner_id == Partner.id).order_by(Partner.name)).all()
    assert rows == [("Acme", 4, 7), ("Beta", 2, None)]
    assert rating.scalar(select(func.count(Partner.id))) == 4


def test_people_whose_company_comes_in_a_later_chunk_wait_for_it(db, session, monkeypatch):
    from core.imports import engine

    monkeypatch.setattr(engine, "CHUNK", 2)
    data = (HEADER + "Lucía Martín;Ferretería Ibérica S.L.;no;lucia@iberica.es;;;;Madrid;España;;;\n"
            "Panadería del Sol;;sí;;;;;Sevilla;ES;;;\n"
            "Pedro Gil;Ferretería Ibérica S.L.;no;pedro@iberica.es;;;;Madrid;España;;;\n"
            "Ferretería Ibérica S.L.;;sí;info@iberica.es;;;;Madrid;España;;;\n"
            "Ana Sol;Panadería del Sol;no;ana@sol.es;;;;Sevilla;ES;;;\n").encode()
    report = do_import(session, db, data)
    assert report.committed and report.created == 5, [str(i) for i in report.issues]
    session.commit()
    check = db.system()
    parents = dict(check.execute(select(Partner.name, Partner.parent_id)).all())
    companies = dict(check.execute(select(Partner.name, Partner.id).where(Partner.is_company.is_(True))).all())
    assert parents["Lucía Martín"] == parents["Pedro Gil"] == companies["Ferretería Ibérica S.L."]
    assert parents["Ana Sol"] == companies["Panadería del Sol"]


def test_a_bad_last_line_after_written_chunks_stores_nothing_and_a_rerun_in_chunks_duplicates_nothing(
        db, session, clerk, monkeypatch):
    from core.imports import engine

    monkeypatch.setattr(engine, "CHUNK", 2)  # companies, people and new tags written chunk by chunk, then taken back
    bad = (SAMPLE + "Ana Sol;Panadería del Sol;no;ana(at)sol.es;;;;Sevilla;ES;;;Nueva\n").encode()
    report = do_import(session, db, bad)
    assert (report.ok, report.committed, report.created) == (False, False, 0)
    assert [(i.line, i.column, str(i.message)) for i in report.errors] == [
        (7, "Correo electrónico", "ana(at)sol.es is not an email address.")]
    session.commit()
    system = db.system()
    assert stored(db) == 0 and system.scalar(select(func.count(Tag.id))) == 0
    assert system.scalar(select(func.count(AuditLog.id)).where(AuditLog.table_name == "contacts_partner")) == 0
    good = bad.replace(b"ana(at)sol.es", b"ana@sol.es")
    report = do_import(session, db, good)
    assert report.committed and report.created == 6, [str(i) for i in report.issues]
    session.commit()
    again = do_import(session, db, good)
    assert (again.committed, again.created, again.existing) == (True, 0, 6)
    session.commit()
    assert stored(db) == 6 and sorted(system.scalars(select(Tag.name))) == ["Cliente", "Nueva", "VIP"]
    ana = system.scalars(select(Partner).where(Partner.name == "Ana Sol")).one()
    assert (ana.parent.name, ana.type, [tag.name for tag in ana.tags]) == ("Panadería del Sol", "contact", ["Nueva"])
    changes = system.scalars(select(AuditLog.changes).where(AuditLog.table_name == "contacts_partner",
                                                            AuditLog.record_id == ana.id)).one()
    assert (changes["name"], changes["parent_id"], changes["tags"], changes["email"]) == (
        [None, "Ana Sol"], [None, str(ana.parent_id)], [None, "Nueva"], [None, "ana@sol.es"])
    assert system.scalar(select(func.count(AuditLog.id)).where(AuditLog.table_name == "contacts_partner",
                                                               AuditLog.user_id == clerk.id)) == 6
