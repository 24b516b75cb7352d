"""Start-up imports only what it uses: ``bottega --help`` and a worker load no web, report or file-format library.

Each check runs in a fresh interpreter (``sys.modules`` of the test process
holds everything already) against a database with every in-tree addon
installed (a third-party addon's plugin imports what it likes), and names
what was imported that should not have been. Listing the commands does not
even import SQLAlchemy: it reads the installed addons with the driver alone
(:mod:`core.lifecycle.installed_names`), and must still list exactly the
installed addons' commands.
"""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap

import pytest
from click.testing import CliRunner

from core.cli import cli
from core.lifecycle import installed_names as driver_read
from core.lifecycle.installed_names import installed_names
from core.testing import initialized_database
from tests.lifecycle_helpers import write_config

#: Libraries used by a few commands, pages or reports only (PDF, XLSX, XML, the web app, migrations).
HEAVY = ("weasyprint", "openpyxl", "lxml", "flask", "flask_babel", "flask_wtf", "wtforms", "alembic", "huey",
         "stdnum")
#: What listing the commands never imports: the listing reads the installed addons with the database's driver.
NOT_FOR_HELP = (*HEAVY, "sqlalchemy")
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
    loaded, output = imported_by(code, NOT_FOR_HELP, WEB_AND_REPORTS, tmp_path)
    assert loaded == [], loaded
    if args[0] == "--help":  # the installed addons' commands are listed: their plugins were asked
        assert "import   Import records from CSV or XLSX files." in output
    if args[0] == "import":
        assert "contacts  Import partners" in output and "leads     Import leads" in output


def test_a_worker_ready_to_take_jobs_imports_neither_sqlalchemy_nor_the_models_nor_web_code(config, tmp_path):
    """``bottega worker`` up to its last line before the consumer starts: it reads the database with its driver.

    SQLAlchemy, the models and the job functions come with the first job
    (tests/test_jobs.py runs one on a worker started so); huey comes without
    the Redis client, which a SQLite queue does not use.
    """
    code = f"""
        import click

        from core.cli import cli

        echo = click.echo


        def echo_until_ready(message=None, **options):
            echo(message, **options)
            if str(message).startswith("Periodic"):  # the worker's last line before its consumer starts
                raise SystemExit(0)


        click.echo = echo_until_ready
        try:
            cli(["--config", {str(config)!r}, "worker", "--workers", "1"], prog_name="bottega")
        except SystemExit as exc:
            assert exc.code == 0, exc.code
    """
    heavy = (*(name for name in HEAVY if name != "huey"), "sqlalchemy", "redis")
    job_code = ("core.mail.outbox", "core.jobs.sending", "core.jobs.maintenance", "addons.crm.jobs")
    loaded, output = imported_by(code, heavy, (*WEB_AND_REPORTS, *job_code), tmp_path)
    assert "crm.new_lead" in output and "Periodic: core.clean_jobs" in output  # the installed addons' jobs
    assert loaded == [], loaded


@pytest.fixture(scope="module")
def contacts_only_url(databases, catalog) -> str:
    """A database where contacts is installed and crm (whose code is here) is not."""
    engine = initialized_database(databases.new(), catalog, ["contacts"])
    engine.dispose()
    return engine.url.render_as_string(hide_password=False)


@pytest.mark.parametrize("read_by", ["driver", "sqlalchemy"])
def test_only_the_installed_addons_commands_are_listed(contacts_only_url, tmp_path, monkeypatch, read_by):
    if read_by == "sqlalchemy":  # a URL the driver alone does not read: the same answer through SQLAlchemy
        monkeypatch.setattr(driver_read, "installed_names", lambda url: None)
    config = write_config(tmp_path, contacts_only_url, ["contacts"])
    listed = CliRunner().invoke(cli, ["--config", str(config), "import", "--help"])
    assert listed.exit_code == 0, listed.output
    assert "contacts  Import partners" in listed.output
    assert "leads" not in listed.output
    helped = CliRunner().invoke(cli, ["--config", str(config), "--help"])
    assert "Import records from CSV or XLSX files." in helped.output


def addon_table(path, rows) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE core_addon (name VARCHAR(64) PRIMARY KEY, version VARCHAR(32), "
                           "state VARCHAR(16))")
        connection.executemany("INSERT INTO core_addon VALUES (?, '1.0', ?)", rows)
    connection.close()


def test_the_driver_reads_the_sqlite_urls_as_sqlalchemy_does(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder with space").mkdir()
    addon_table(tmp_path / "folder with space" / "bottega.db", [("contacts", "installed"), ("crm", "deactivated")])
    assert installed_names("sqlite:///folder with space/bottega.db") == ["contacts"]  # relative to the folder
    assert installed_names("sqlite:///folder%20with%20space/bottega.db") == ["contacts"]  # %-escapes, as SQLAlchemy
    assert installed_names(f"sqlite:///{tmp_path}/folder with space/bottega.db") == ["contacts"]  # absolute


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "sqlite:///x.db?timeout=5", "sqlite://host/x.db",
                                 "postgresql://u@h/db", "postgresql+pg8000://u@h/db", "not a url"])
def test_a_url_the_driver_alone_does_not_read_is_left_to_sqlalchemy(url):
    assert installed_names(url) is None


def test_a_missing_sqlite_file_is_an_error_and_is_not_created(tmp_path):
    with pytest.raises(sqlite3.OperationalError):
        installed_names(f"sqlite:///{tmp_path}/missing.db")
    assert list(tmp_path.iterdir()) == []
