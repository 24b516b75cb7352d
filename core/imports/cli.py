"""``bottega import <name> FILE``: the command line of an import, for any spec.

An addon adds its command from ``register_commands(cli)``::

    cli.commands["import"].add_command(import_command("contacts", "addons.contacts.importing:PartnerImport"))

where the second argument makes the spec: ``make_spec(session, company_id)``; given
as a ``"module:attribute"`` reference it is imported only when the command runs, so
``bottega --help`` lists the command without loading the addon's models.
The command reads the file, checks it with a progress bar, prints the
report, and commits only when no line has an error (never with
``--dry-run``). It acts as ``--user LOGIN`` (whose access rules apply and
who is written in the audit log), or else as the system in the first
company (or ``--company``).
"""
from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import click

from core.errors import BottegaError
from core.lazy import load

SHOWN_ISSUES = 50
PHASES = {"check": "Checking", "import": "Importing"}


class _Bars:
    """One click progress bar per phase (checking, importing)."""

    def __init__(self, enabled: bool = True):
        self.enabled = enabled
        self.phase = None
        self.bar = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if phase != self.phase:
            self.close()
            self.phase = phase
            self.bar = click.progressbar(length=total, label=PHASES.get(phase, phase), show_pos=True)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def import_command(name: str, make_spec: Callable | str, help: str | None = None) -> click.Command:
    """A click command importing FILE with the spec ``make_spec(session, company_id)`` makes.

    ``make_spec`` may be a ``"module:attribute"`` reference, loaded when the command runs.
    """

    @click.command(name, help=help or f"Import {name} from a CSV or XLSX file.")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--mapping", "-m", "mappings", multiple=True, metavar="COLUMN=FIELD",
                  help="Map a column (header or number) to a field; COLUMN= skips it. Repeatable.")
    @click.option("--dry-run", is_flag=True, help="Check the file and print the report; store nothing.")
    @click.option("--encoding", metavar="NAME", help="The CSV file's encoding [default: detected].")
    @click.option("--user", "login", metavar="LOGIN", help="Act as this user (their access rules apply).")
    @click.option("--company", metavar="NAME|ID", help="The company the records belong to.")
    @click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
                  help="Also write the problems found (the first 100 errors and warnings) to this CSV file.")
    @click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
    @click.pass_obj
    def command(state, file: Path, mappings, dry_run, encoding, login, company, report_path, quiet):
        from core.security import actor_session
        from core.sessions import make_session_factory

        from .engine import analyse, parse_mapping_options, run_import
        from .limits import check_file_size
        from .reading import read_file

        spec_of = load(make_spec) if isinstance(make_spec, str) else make_spec
        overrides = parse_mapping_options(mappings)
        check_file_size(file.stat().st_size, file.name)  # before reading it into memory
        table = read_file(file.read_bytes(), file.name, encoding)
        engine = state.engine()
        try:
            registry = state.lifecycle().registry()
            factory = make_session_factory(engine)
            actor, company_id = _actor_and_company(factory, registry, login, company)
            session = actor_session(factory, registry, actor)
            with session:
                spec = spec_of(session, company_id)
                bars = _Bars(enabled=not quiet)
                try:
                    if dry_run:
                        report = analyse(session, spec, table, overrides, progress=bars)
                    else:
                        report = run_import(session, spec, table, overrides, progress=bars)
                finally:
                    bars.close()
                if report.committed:
                    session.commit()
                else:
                    session.rollback()
        finally:
            engine.dispose()
        _print_report(report, dry_run, report_path)
        if not report.ok:
            raise BottegaError(f"nothing was imported: {report.error_count} problem(s) in {file.name}; "
                               "fix them and run the command again")

    return command


def _actor_and_company(factory, registry, login, company):
    """The user acting (None: the system) and the company the records go to."""
    from sqlalchemy import select

    from core.models import Company
    from core.security import find_actor, find_company

    with factory() as system:
        if login:
            actor = find_actor(system, registry, login, company)
            return actor, actor.company_id
        if company:
            return None, find_company(system, company).id
        first = system.scalars(select(Company).order_by(Company.id)).first()
        if first is None:
            raise BottegaError("the database has no company yet: run bottega init")
        return None, first.id


def _print_report(report, dry_run: bool, report_path: Path | None) -> None:
    if report.encoding:
        click.echo(f"{report.filename}: {report.format.upper()}, {report.encoding}, {report.total} line(s)")
    else:
        click.echo(f"{report.filename}: {report.format.upper()}, {report.total} line(s)")
    for notice in report.notices:
        click.echo(f"note: {notice}")
    if report.mapping:
        click.echo("columns: " + ", ".join(f"{report.headers[i]} -> {name}" for i, name in report.mapping.items()))
    unmapped = [h for i, h in enumerate(report.headers) if i not in report.mapping and h]
    if unmapped:
        click.echo("ignored columns: " + ", ".join(unmapped))
    for issue in report.issues[:SHOWN_ISSUES]:
        click.echo(f"{issue.level}: {issue}", err=issue.is_error)
    shown = min(len(report.issues), SHOWN_ISSUES)
    if report.issue_count > shown:
        more = len(report.issues) > shown and not report_path
        click.echo(f"... and {report.issue_count - shown} more problem(s)"
                   + ("; use --report FILE to see the first 100 errors and warnings" if more else ""))
    if report_path:
        with report_path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["line", "column", "level", "message"])
            for issue in report.issues:
                writer.writerow([issue.line or "", issue.column or "", issue.level, str(issue.message)])
        click.echo(f"report written to {report_path}")
    click.echo(f"{report.new} new, {report.existing} already there (skipped), {report.with_errors} with errors")
    if report.committed:
        click.echo(f"imported {report.created} record(s)")
    elif dry_run and report.ok:
        click.echo("dry run: nothing was stored")
