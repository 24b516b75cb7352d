"""Start-up imports only what it uses: ``bottega --help`` and a worker load no web, report or file-format library.

Each check runs in a fresh interpreter (``sys.modules`` of the test process
holds everything already) against a database with every in-tree addon
installed (a third-party addon's plugin imports what it likes), and names
what was imported that should not have been.
"""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from core.testing import initialized_database
from tests.lifecycle_helpers import write_config

#: Libraries used by a few commands, pages or reports only (PDF, XLSX, XML, the web app, migrations).
HEAVY = ("weasyprint", "openpyxl", "lxml", "flask", "flask_babel", "flask_wtf", "wtforms", "alembic", "huey",
         "stdnum")
#: Library modules a worker needs (the job queue, the models' translated labels) beside the models.
WORKER_NEEDS = ("huey", "flask", "flask_babel")
#: Parts of Bottega that only the web app, reports and the commands that use them import.
WEB_AND_REPORTS = ("core.web", "core.models", "core.lifecycle.service", "core.imports.engine")
ADDON_MODULES = ("views", "web", "reports", "dashboard", "panels", "importing", "models", "documents", "demo")

PRINT_IMPORTED = """
    import json, sys
    heavy, prefixes, addon_modules = json.loads(sys.argv[1])
    loaded = [name for name in sys.modules
              if name.split(".")[0] in heavy or name.startswith(tuple(prefixes))
              or (name.startswith("addons.") and len(name.split(".")) > 2 and name.split(".")[2] in addon_modules)]
    print(json.dumps(sorted(loaded)))
"""


@pytest.fixture(scope="module")
def in_tree_url(databases, catalog) -> str:
    in_tree = [name for name, manifest in catalog.items() if (manifest.plugin or "").startswith("addons.")]
    engine = initialized_database(databases.new(), catalog, in_tree)
    engine.dispose()
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture
def config(in_tree_url, tmp_path, monkeypatch):
    for name in ("BOTTEGA_CONFIG", "BOTTEGA_DATABASE_URL", "BOTTEGA_ADDONS_ENABLED"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BOTTEGA_JOBS_SQLITE_PATH", str(tmp_path / "jobs.db"))
    return write_config(tmp_path, in_tree_url)


def imported_by(code: str, forbidden: tuple, prefixes: tuple, tmp_path) -> tuple[list[str], str]:
    """What a fresh interpreter running ``code`` imported among ``forbidden`` and ``prefixes``, and its output."""
    script = textwrap.dedent(code) + textwrap.dedent(PRINT_IMPORTED)
    result = subprocess.run([sys.executable, "-c", script, json.dumps([forbidden, prefixes, ADDON_MODULES])],
                            capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    *output, loaded = result.stdout.strip().splitlines()
    return json.loads(loaded), "\n".join(output)


@pytest.mark.parametrize("args", [["--help"], ["import", "--help"], ["addons", "--help"], ["worker", "--help"]])
def test_help_imports_no_heavy_library_and_no_addon_code_but_plugins(config, tmp_path, args):
    code = f"""
        from core.cli import cli
        try:
            cli(["--config", {str(config)!r}, *{args!r}], prog_name="bottega")
        except SystemExit as exc:
            assert exc.code == 0, exc.code
    """
    loaded, output = imported_by(code, HEAVY, WEB_AND_REPORTS, tmp_path)
    assert loaded == [], loaded
    if args[0] == "--help":  # the installed addons' commands are listed: their plugins were asked
        assert "import   Import records from CSV or XLSX files." in output
    if args[0] == "import":
        assert "contacts  Import partners" in output and "leads     Import leads" in output


def test_a_worker_ready_to_take_jobs_imports_no_web_report_or_file_format_code(config, tmp_path):
    code = f"""
        from core.cli import Context
        from core.jobs import Worker

        state = Context({str(config)!r})
        worker = Worker(state.config, state.catalog, state.engine())
        worker.create_consumer(workers=1)
        print(sorted(worker.jobs))
    """
    heavy = tuple(name for name in HEAVY if name not in WORKER_NEEDS)
    web_and_reports = tuple(prefix for prefix in WEB_AND_REPORTS if prefix != "core.models")
    loaded, output = imported_by(code, heavy, web_and_reports, tmp_path)
    assert "crm.new_lead" in output  # the installed addons' jobs were loaded
    assert [name for name in loaded if not name.endswith((".models", ".jobs")) and ".models." not in name] == []
