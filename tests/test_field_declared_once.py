"""A field is declared once: a new column appears, labelled and checked, everywhere its model is shown.

The test grows a copy of the fixture addon ``fieldproof`` as a developer
would: one line in models.py and a migration file, nothing else. Installed,
the new field is in the form, the list, the record page, the export and the
import, and a value outside its choices is refused with its label by each.
"""
import filecmp
import io
import shutil
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from core.catalog import Catalog
from core.sessions import make_session_factory
from core.testing import (TestData, WebClient, finish_task, initialized_database, queued_tasks, schema_differences,
                          web_config)
from core.lifecycle import Lifecycle

FIXTURE = Path(__file__).parent / "fixture_addons" / "fieldproof"
NEW_COLUMN = '''
    colour: Mapped[str | None] = mapped_column(String(20), info=field(
        "Colour", help="The colour of the item", choices=(("red", "Red"), ("blue", "Blue")), listed=True))
'''
NEW_MIGRATION = '''"""fieldproof: the colour of an item"""
import sqlalchemy as sa
from alembic import op

revision = "f2f2f2f2f2f2"
down_revision = "f1f1f1f1f1f1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("fieldproof_item", sa.Column("colour", sa.String(length=20), nullable=True))


def downgrade() -> None:
    op.drop_column("fieldproof_item", "colour")
'''


def grow(folder: Path, package: str) -> Path:
    """A copy of fieldproof named ``package`` with the colour column and its migration, and no other change."""
    grown = folder / package
    shutil.copytree(FIXTURE, grown, ignore=shutil.ignore_patterns("__pycache__"))
    with (grown / "models.py").open("a") as models:
        models.write(NEW_COLUMN)
    (grown / "migrations" / "versions" / "f2f2f2f2f2f2_fieldproof_colour.py").write_text(NEW_MIGRATION)
    return grown


@pytest.fixture(params=["original", "grown"])
def proof(request, tmp_path, databases):
    """The web app with fieldproof installed, as shipped or grown by the colour column."""
    package = "fieldproof_grown" if request.param == "grown" else "tests.fixture_addons.fieldproof"
    if request.param == "grown":
        grow(tmp_path, package)
        sys.path.insert(0, str(tmp_path))
    from core.web.app import WebState, build_app

    catalog = Catalog.from_modules(["addons.contacts", package])
    engine = initialized_database(databases.new(), catalog, ["fieldproof"])
    registry = Lifecycle(engine, catalog).registry()
    factory = make_session_factory(engine)
    app = build_app(WebState(web_config(tmp_path), catalog, engine, registry, factory))
    app.config["TESTING"] = True
    data = TestData(registry, factory)
    data.user("maker", groups=["core.group_user"])
    client = WebClient(app)
    client.login("maker")
    try:
        with queued_tasks(app, catalog):
            yield request.param, client, engine, registry
    finally:
        data.close_all()
        engine.dispose()
        if request.param == "grown":
            sys.path.remove(str(tmp_path))
            for name in [name for name in sys.modules if name.startswith(package)]:
                del sys.modules[name]


def test_growing_the_model_changes_only_the_model_and_adds_a_migration(tmp_path):
    grown = grow(tmp_path, "fieldproof_grown")
    comparison = filecmp.dircmp(FIXTURE, grown, ignore=["__pycache__"])
    assert comparison.diff_files == ["models.py"] and not comparison.left_only
    assert filecmp.dircmp(FIXTURE / "migrations" / "versions", grown / "migrations" / "versions",
                          ignore=["__pycache__"]).right_only == ["f2f2f2f2f2f2_fieldproof_colour.py"]


def colours(engine) -> list:
    with engine.connect() as connection:
        return connection.execute(text("SELECT name, colour FROM fieldproof_item ORDER BY id")).all()


def test_the_new_field_is_in_the_form_list_record_export_and_import(proof):
    version, client, engine, registry = proof
    assert schema_differences(engine, registry, "fieldproof") == []
    form = client.get("/fieldproof/items/new").get_data(as_text=True)
    if version == "original":
        assert "Colour" not in form
        return
    assert "Colour" in form and "The colour of the item" in form and ">Blue<" in form

    refused = client.post("/fieldproof/items/new", {"name": "Chair", "colour": "purple"})
    assert refused.status_code == 422 and "Not a valid choice" in refused.get_data(as_text=True)
    assert colours(engine) == []

    created = client.post("/fieldproof/items/new", {"name": "Chair", "colour": "red"})
    assert created.status_code == 302
    record = client.get(created.headers["Location"]).get_data(as_text=True)
    assert "<dt>Colour</dt><dd>Red</dd>" in record
    listed = client.get("/fieldproof/items/").get_data(as_text=True)
    assert "Colour" in listed and "Red" in listed
    exported = client.get("/fieldproof/items/export.csv").get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert exported[0].split(",")[:2] == ["Name", "Colour"] and exported[1].split(",")[:2] == ["Chair", "Red"]

    assert _import(client, "Name,Colour\nTable,purple\nLamp,Blue\n") == 422
    assert colours(engine) == [("Chair", "red")]
    assert _import(client, "Name,Colour\nTable,red\nLamp,Blue\n") == 302
    assert colours(engine) == [("Chair", "red"), ("Table", "red"), ("Lamp", "blue")]


def _import(client, csv: str) -> int:
    """Upload ``csv`` and ask to import it; the status of the answer (302: imported, 422: refused)."""
    uploaded = client.post("/fieldproof/items/import", {"file": (io.BytesIO(csv.encode()), "items.csv")},
                           content_type="multipart/form-data")
    preview = uploaded.headers["Location"]
    page = client.get(preview).get_data(as_text=True)
    if "purple" in csv:
        assert "Colour" in page and "purple is not one of the choices" in page
    answer = client.post(preview, {"action": "import", "column-1": "name", "column-2": "colour"})
    if answer.status_code == 302:
        finish_task(client, answer)
    return answer.status_code
