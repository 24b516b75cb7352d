"""docs/addon-tutorial.md shows the code of tests/sample_addon, and that addon does what the tutorial says.

The sample addon is installed with pip by the test setup (see README), so
the suite's database has it like any third-party addon.
"""
import re
from pathlib import Path

import pytest
from bottega_notes.models import Note
from sqlalchemy import select

from addons.contacts.models import Partner
from addons.contacts.services import create_partner
from core.models import AuditLog

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
