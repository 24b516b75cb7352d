"""docs/addon-tutorial.md shows the code of tests/sample_addon, and that addon does what the tutorial says.

The sample addon is installed with pip by the test setup (see README), so
the suite's database has it like any third-party addon.
"""
import csv
import io
import re
from pathlib import Path

import pytest
from bottega_notes.models import Note, PartnerNotes
from sqlalchemy import select

from addons.contacts.models import Partner
from addons.contacts.services import create_partner
from core.models import AuditLog
from core.testing import ADMIN_PASSWORD, finish_task
from tests.lifecycle_helpers import query

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = ROOT / "docs" / "addon-tutorial.md"
ADDON = ROOT / "tests" / "sample_addon"
SHOWN = re.compile(r"^<!-- file: (?P<path>\S+) -->\n```[a-z]*\n(?P<code>.*?)^```$", re.MULTILINE | re.DOTALL)
MAX_PYTHON_LINES = 80


def shown_files() -> dict[str, str]:
    return {match["path"]: match["code"] for match in SHOWN.finditer(TUTORIAL.read_text())}


def written_files() -> list[Path]:
    """The files a developer writes by hand: everything but the migrations `bottega dev revision` writes."""
    package = ADDON / "bottega_notes"
    code = [path for path in package.rglob("*") if path.suffix in (".py", ".html")
            and "migrations" not in path.relative_to(package).parts]
    return sorted([ADDON / "setup.cfg", ADDON / "pyproject.toml", *code])


def test_the_tutorial_shows_every_file_of_the_addon_as_it_is():
    shown = shown_files()
    assert sorted(shown) == sorted(str(path.relative_to(ADDON)) for path in written_files())
    for path, code in shown.items():
        assert code == (ADDON / path).read_text(), f"docs/addon-tutorial.md shows an old {path}"


def test_the_addon_is_at_most_80_lines_of_python():
    python = [path for path in written_files() if path.suffix == ".py"]
    lines = [line for path in python for line in path.read_text().splitlines() if line.strip()]
    assert len(lines) <= MAX_PYTHON_LINES
    assert f"{len(lines)} lines of Python" in TUTORIAL.read_text()


def login(web, login, groups):
    web.db.user(login, groups=groups)
    client = web.client()
    client.login(login)
    return client


@pytest.fixture
def noter(web):
    return login(web, "noter", ["notes.group_user"])


@pytest.fixture
def clerk(web):
    """May edit partners, but not notes."""
    return login(web, "clerk", ["contacts.group_user"])


@pytest.fixture
def partner(web):
    session = web.db.system()
    created = create_partner(session, web.db.main_company.id, name="Bottega Rossi", is_company=True)
    session.commit()
    return created


def notes(web) -> list[Note]:
    return web.db.system().scalars(select(Note).order_by(Note.id)).all()


def test_a_member_of_the_group_writes_lists_edits_and_deletes_notes_through_the_generic_views(web, noter, partner):
    noter.get("/notes/notes/new")
    created = noter.post("/notes/notes/new", {"partner_id": partner.id, "body": "Wants a quote by Friday"})
    assert created.status_code == 302, created.get_data(as_text=True)
    [note] = notes(web)
    assert (note.partner_id, note.body, note.company_id) == (partner.id, "Wants a quote by Friday",
                                                             web.db.main_company.id)
    assert noter.get("/notes/notes/import").status_code == 200
    listed = noter.get("/notes/notes/?q=quote").get_data(as_text=True)
    assert "Wants a quote by Friday" in listed and "Bottega Rossi" in listed
    noter.get(f"/notes/notes/{note.id}/edit")
    assert noter.post(f"/notes/notes/{note.id}/edit", {"partner_id": partner.id, "body": "Quote sent"}).status_code == 302
    assert [n.body for n in notes(web)] == ["Quote sent"]
    noter.get(f"/notes/notes/{note.id}/delete")
    assert noter.post(f"/notes/notes/{note.id}/delete").status_code == 302
    assert notes(web) == []


def test_the_menu_and_the_latest_notes_page_are_for_the_group_only(web, noter, clerk, partner):
    session = web.db.system()
    session.add_all(Note(partner_id=partner.id, body=f"Call number {n}", company_id=partner.company_id)
                    for n in range(25))
    session.commit()
    menu = noter.get("/contacts/partners/").get_data(as_text=True)  # the Contacts menu is beside its pages
    assert 'href="/notes/notes/"' in menu and 'href="/notes/latest"' in menu
    page = noter.get("/notes/latest")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Latest notes" in html and "Bottega Rossi</a>: Call number 24" in html
    assert "Call number 5<" in html and "Call number 4<" not in html  # the 20 latest

    menu = clerk.get("/contacts/partners/").get_data(as_text=True)
    assert 'href="/contacts/tags/"' in menu and "/notes/notes/" not in menu and "/notes/latest" not in menu
    assert clerk.get("/notes/latest").status_code == 403
    assert clerk.get("/notes/notes/").status_code == 403


def test_merging_partners_leaves_a_note_on_the_one_that_remains_even_when_a_clerk_merges(web, clerk, partner):
    session = web.db.system()
    duplicate = create_partner(session, web.db.main_company.id, name="BOTTEGA ROSSI", is_company=True)
    session.add(Note(partner_id=duplicate.id, body="Met at the fair", company_id=duplicate.company_id))
    session.commit()
    clerk.get(f"/contacts/merge?source={duplicate.id}&target={partner.id}")
    assert clerk.post("/contacts/merge", {"source": duplicate.id, "target": partner.id}).status_code == 302
    assert [(n.partner_id, n.body) for n in notes(web)] == [(partner.id, "Met at the fair"),
                                                            (partner.id, "Merged with BOTTEGA ROSSI.")]
    merged_note = notes(web)[-1]
    logged = web.db.system().scalars(select(AuditLog).where(AuditLog.table_name == "notes_note",
                                                            AuditLog.record_id == merged_note.id)).all()
    assert logged and {entry.user_id for entry in logged} == {None}  # written by the system, not the clerk
    assert not web.db.system().get(Partner, duplicate.id).active


def test_the_favourite_colour_is_a_field_of_the_partner_form_record_list_and_export(web, clerk, partner):
    form = clerk.get(f"/contacts/partners/{partner.id}/edit").get_data(as_text=True)
    assert "Favourite colour" in form and 'name="favourite_colour"' in form
    saved = clerk.post(f"/contacts/partners/{partner.id}/edit",
                       {"name": "Bottega Rossi", "is_company": "y", "favourite_colour": " Teal "})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    assert web.db.system().get(PartnerNotes, partner.id).favourite_colour == "Teal"
    record = clerk.get(f"/contacts/partners/{partner.id}").get_data(as_text=True)
    assert "Favourite colour" in record and "Teal" in record
    listed = clerk.get("/contacts/partners/?q=rossi").get_data(as_text=True)
    assert "Favourite colour" in listed and "Teal" in listed
    exported = list(csv.reader(io.StringIO(clerk.get("/contacts/partners/export.csv").get_data(as_text=True))))
    column = exported[0].index("Favourite colour")
    assert [row[column] for row in exported[1:]] == ["Teal"]


def test_a_colour_too_long_is_refused_naming_the_field_and_nothing_is_saved(web, clerk, partner):
    clerk.get(f"/contacts/partners/{partner.id}/edit")
    refused = clerk.post(f"/contacts/partners/{partner.id}/edit",
                         {"name": "Renamed", "is_company": "y", "favourite_colour": "x" * 100_000})
    assert refused.status_code == 422
    assert 'id="favourite_colour-errors"' in refused.get_data(as_text=True)
    check = web.db.system()
    assert check.get(PartnerNotes, partner.id) is None and check.get(Partner, partner.id).name == "Bottega Rossi"


def test_deleting_a_partner_deletes_its_colour_through_the_database(web, clerk, partner):
    clerk.get(f"/contacts/partners/{partner.id}/edit")
    clerk.post(f"/contacts/partners/{partner.id}/edit", {"name": "Bottega Rossi", "favourite_colour": "Olive"})
    assert web.db.system().get(PartnerNotes, partner.id).favourite_colour == "Olive"
    manager = login(web, "manager", ["contacts.group_manager"])
    manager.get(f"/contacts/partners/{partner.id}/delete")
    assert manager.post(f"/contacts/partners/{partner.id}/delete").status_code == 302
    assert web.db.system().get(Partner, partner.id) is None
    assert web.db.system().scalars(select(PartnerNotes)).all() == []


def test_an_import_of_partners_fills_their_colour(web, clerk, task_worker):
    clerk.get("/contacts/partners/import")
    uploaded = clerk.post("/contacts/partners/import",
                          {"file": (io.BytesIO(b"Name,Favourite colour\nVerdi Srl,Olive\n"), "partners.csv")},
                          content_type="multipart/form-data")
    assert uploaded.status_code == 302
    preview = clerk.get(uploaded.headers["Location"]).get_data(as_text=True)
    assert '<option value="favourite_colour" selected>' in preview  # matched by its label
    done = clerk.post(uploaded.headers["Location"],
                      {"action": "import", "column-1": "name", "column-2": "favourite_colour"})
    assert "Lines imported: 2" in finish_task(clerk, done)
    [verdi] = web.db.system().scalars(select(Partner).where(Partner.name == "Verdi Srl")).all()
    assert web.db.system().get(PartnerNotes, verdi.id).favourite_colour == "Olive"


def test_an_import_with_a_colour_too_long_names_the_field_and_stores_nothing(web, clerk):
    def upload(colour: bytes):
        clerk.get("/contacts/partners/import")
        return clerk.post("/contacts/partners/import",
                          {"file": (io.BytesIO(b"Name,Favourite colour\nNeri Spa," + colour + b"\n"), "partners.csv")},
                          content_type="multipart/form-data")

    huge = upload(b"x" * 100_000)
    assert huge.status_code == 422 and "the one in column Favourite colour has 100000" in huge.get_data(as_text=True)
    long = upload(b"x" * 41)
    refused = clerk.post(long.headers["Location"],
                         {"action": "import", "column-1": "name", "column-2": "favourite_colour"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "1 problem must be fixed before importing; nothing has been stored." in page
    assert re.search(r"<td>Favourite colour</td>\s*<td>.*At most 40 characters \(this has 41\)", page)
    assert web.db.system().scalars(select(Partner).where(Partner.name == "Neri Spa")).all() == []
    assert web.db.system().scalars(select(PartnerNotes)).all() == []


def test_uninstalling_notes_hides_the_colour_and_keeps_it_for_a_reinstall(served, catalog):
    client_for, url = served(catalog, ["notes"])
    admin = client_for()
    admin.login("admin", ADMIN_PASSWORD)
    admin.get("/contacts/partners/new")
    created = admin.post("/contacts/partners/new", {"name": "Bianchi", "favourite_colour": "Amber"})
    assert created.status_code == 302, created.get_data(as_text=True)
    record = created.headers["Location"]

    admin.get("/settings/addons/notes/uninstall")
    assert admin.post("/settings/addons/notes/uninstall").status_code == 302
    page = admin.get(record).get_data(as_text=True)
    assert "Bianchi" in page and "Favourite colour" not in page and "Amber" not in page
    assert "favourite_colour" not in admin.get(record + "/edit").get_data(as_text=True)
    assert query(url, "SELECT favourite_colour FROM notes_partner") == [("Amber",)]

    admin.get("/settings/addons/notes/install")
    assert admin.post("/settings/addons/notes/install").status_code == 302
    page = admin.get(record).get_data(as_text=True)
    assert "Favourite colour" in page and "Amber" in page
