"""The ``bottega`` command line.

Every command is a thin shell over a core service. An error the user can act
on (:class:`~core.errors.BottegaError`) is printed as one line on stderr and
exits with status 2; nothing is changed in the database.

Listing the commands (``bottega --help``) imports only the installed addons'
plugin modules, which it finds with the database's driver alone (no
SQLAlchemy, see :meth:`core.installation.Installation.plugins`); each
command imports the rest when it runs.
"""
from __future__ import annotations

import gc
import os
import secrets
import signal
import sys
from typing import TYPE_CHECKING

import click

from core.config import Config, EnabledAddonsWrite, enabled_in_file
from core.errors import BottegaError
from core.installation import Installation

if TYPE_CHECKING:
    from core.catalog import Catalog
    from core.lifecycle import Lifecycle, Plan
    from core.lifecycle.intent import LostWrite

EXIT_USER_ERROR = 2


class Context(Installation):
    """What commands share: the installation (configuration, known addons, database), and config writes."""

    def lost_config_write(self, lifecycle: Lifecycle) -> LostWrite | None:
        """The change the last command could not write into the config file (it was killed), if any."""
        return lifecycle.lost_config_write(self.config.path, enabled_in_file(self.config))

    def config_write(self, plan: Plan, asked=(), lost: LostWrite | None = None) -> EnabledAddonsWrite:
        """Stage the config file's new ``[addons] enabled``; fails (exit 2) before the database changes.

        A change the last command could not write (``lost``) is written with it.
        """
        add, remove = list(asked), list(plan.removed)
        if lost is not None:
            add += lost.added
            remove += lost.removed
        return EnabledAddonsWrite(self.config, add=add, remove=remove)

    def finish_config_write(self, lifecycle: Lifecycle, write: EnabledAddonsWrite,
                            lost: LostWrite | None = None) -> None:
        write.commit()
        lifecycle.forget_config_write(write.path)
        click.echo(f"Config {self.config.path}: enabled = {write.enabled}")
        if lost is not None:
            click.echo(f"Note: {lost}; it is written there now")
        if write.overridden and (write.added or write.removed):
            changes = [f"add {', '.join(write.added)}"] if write.added else []
            changes += [f"remove {', '.join(write.removed)}"] if write.removed else []
            click.echo(f"Note: BOTTEGA_ADDONS_ENABLED overrides it; {' and '.join(changes)} there too, "
                       "or the next `bottega addons apply` undoes this")


class BottegaGroup(click.Group):
    """Prints user errors on one line with exit status 2, and finds addon commands."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except BottegaError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(EXIT_USER_ERROR)
        except Exception as exc:
            if os.environ.get("BOTTEGA_DEBUG"):
                raise
            click.echo(
                f"error: internal error ({type(exc).__name__}: {exc}); "
                "run again with BOTTEGA_DEBUG=1 to see where",
                err=True,
            )
            ctx.exit(1)

    def get_command(self, ctx, name):
        command = super().get_command(ctx, name)
        if command is None and self is cli:
            command = _addon_commands(ctx).get(name)
        return command

    def list_commands(self, ctx):
        names = set(super().list_commands(ctx))
        if self is cli:
            names |= set(_addon_commands(ctx))
        return sorted(names)


def _addon_commands(ctx: click.Context) -> dict[str, click.Command]:
    """Commands that installed addons add through ``register_commands``.

    The group handed to the hook already holds an ``import`` group, so that
    each addon can add ``bottega import <what> FILE`` beside the others'.
    """
    group = click.Group()
    group.add_command(click.Group("import", help="Import records from CSV or XLSX files."))
    state = ctx.ensure_object(Context)
    if ctx.params.get("config_path"):  # subcommands are resolved before cli() itself runs
        state.config_path = ctx.params["config_path"]
    try:
        state.plugins().hook.register_commands(cli=group)
    except Exception:  # --help and the built-in commands must work whatever state the database is in
        return {}
    return {name: command for name, command in group.commands.items()
            if not (isinstance(command, click.Group) and not command.commands)}


@click.group(cls=BottegaGroup)
@click.option("--config", "config_path", metavar="PATH", is_eager=True, help="Configuration file [default: $BOTTEGA_CONFIG or config/bottega.toml].")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None) -> None:
    """Bottega: an ERP + CRM made of a small core and installable addons."""
    state = ctx.ensure_object(Context)
    if config_path:
        state.config_path = config_path


pass_state = click.make_pass_decorator(Context, ensure=True)


@cli.command()
@click.option("--admin-password", metavar="P", help="Password of the 'admin' user [default: a random one, printed].")
@click.option("--company", default="My Company", show_default=True, help="Name of the first company.")
@pass_state
def init(state: Context, admin_password: str | None, company: str) -> None:
    """Create the database, the core's tables, the first company and the admin user, then apply the config."""
    from core.lifecycle import Lifecycle
    from core.lifecycle.database import redacted
    from core.lifecycle.initialize import check_admin_password, initialize

    # everything that can be checked is checked before the database (file, folder, server database) is created
    if admin_password is not None:
        try:
            check_admin_password(admin_password)
        except BottegaError as exc:
            raise BottegaError(f"--admin-password: {exc}") from None
    if not company.strip():
        raise BottegaError("--company: the company needs a name")
    config = state.config
    state.catalog.with_auto_install(config.enabled_addons)
    engine = state.engine(create=True)
    generated = admin_password is None
    password = admin_password or secrets.token_urlsafe(12)
    initialize(engine, state.catalog, password, company_name=company)
    click.echo(f"Initialized {redacted(config.database_url)}.")
    click.echo(f"Log in as admin with password {password}" if generated else "Log in as admin.")
    lifecycle = Lifecycle(engine, state.catalog)
    try:
        _show_and_run(lifecycle, lifecycle.plan_apply(config.enabled_addons))
    except Exception as exc:
        if os.environ.get("BOTTEGA_DEBUG"):
            raise
        reason = str(exc) if isinstance(exc, BottegaError) else f"{type(exc).__name__}: {exc}"
        raise BottegaError(
            f"the database was initialized (company {company!r} and user admin exist), but installing the "
            f"enabled addons failed: {reason}; fix that, then run `bottega addons apply`"
        ) from exc


@cli.group(cls=BottegaGroup)
def addons() -> None:
    """Install, upgrade and uninstall addons."""


@addons.command("list")
@pass_state
def list_addons(state: Context) -> None:
    """Every known addon: version, installed version, state, dependencies."""
    rows = [("ADDON", "VERSION", "INSTALLED", "STATE", "DEPENDS")]
    for status in state.lifecycle().status():
        rows.append((status.name, status.version, status.installed_version or "-", status.state,
                     ", ".join(status.depends) or "-"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())


@addons.command()
@pass_state
def plan(state: Context) -> None:
    """Show what `apply` would do, in order, with the migrations to run. Changes nothing."""
    lifecycle = state.lifecycle()
    plan = lifecycle.plan_apply(state.config.enabled_addons)
    undoing = _undoing(state.lost_config_write(lifecycle), plan)
    if undoing:
        click.echo(f"Note: {undoing}")
    for line in plan.lines():
        click.echo(line)


@addons.command()
@click.option("--yes", is_flag=True, help="Do not ask before undoing a change the config file missed.")
@pass_state
def apply(state: Context, yes: bool) -> None:
    """Make the database match the config: install, upgrade and uninstall addons."""
    lifecycle = state.lifecycle()
    lost = state.lost_config_write(lifecycle)
    plan = lifecycle.plan_apply(state.config.enabled_addons)
    for line in plan.lines():
        click.echo(line)
    undoing = _undoing(lost, plan)
    if undoing and yes:
        click.echo(f"Note: {undoing}")
    elif undoing:
        _ask(f"Warning: {undoing}. Go ahead?",
             f"{undoing}; to keep it, set enabled = {_lost_enabled(state, lost)} under [addons] in "
             f"{state.config.path}; to go ahead, run `bottega addons apply --yes`", yes)
    if plan:
        lifecycle.run(plan)
        click.echo("Done.")
    if lost is not None:
        lifecycle.forget_config_write(state.config.path)


def _undoing(lost: LostWrite | None, plan: Plan) -> str:
    """What applying ``plan`` would undo of a change the config file missed, said in a sentence."""
    if lost is None:
        return ""
    uninstalled, installed = lost.undone_by(plan.added, plan.removed)
    undone = [f"uninstall {', '.join(uninstalled)}"] if uninstalled else []
    undone += [f"install {', '.join(installed)} again"] if installed else []
    return f"{lost}, so applying it would {' and '.join(undone)}" if undone else ""


def _lost_enabled(state: Context, lost: LostWrite) -> str:
    """The file's ``[addons] enabled`` with the lost change written in, as TOML."""
    names = (set(enabled_in_file(state.config)) | set(lost.added)) - set(lost.removed)
    return "[" + ", ".join(f'"{name}"' for name in sorted(names)) + "]"


def _ask(question: str, refusal: str, yes: bool) -> None:
    """Go on with --yes; ask at a terminal; in a script, where nobody can answer, refuse (exit 2)."""
    if yes:
        return
    if not sys.stdin.isatty():
        raise BottegaError(refusal)
    click.confirm(question, abort=True)


@addons.command()
@click.argument("names", nargs=-1, required=True)
@click.option("--restore-from", "restore_from", metavar="BACKUP.json",
              help="A backup written by `uninstall --purge`: put its users back in the addon's groups.")
@pass_state
def install(state: Context, names: tuple[str, ...], restore_from: str | None) -> None:
    """Install addons (and what they depend on), and enable them in the config."""
    from core.lifecycle.purge import read_memberships

    memberships = read_memberships(restore_from) if restore_from else None
    if memberships is not None and memberships.addon not in names:
        raise BottegaError(f"--restore-from: {restore_from} is a backup of {memberships.addon}, "
                           f"not of {', '.join(names)}")
    lifecycle = state.lifecycle()
    lost = state.lost_config_write(lifecycle)
    plan = lifecycle.plan_install(names)
    write = state.config_write(plan, names, lost)
    try:
        _show_and_run(lifecycle, plan, write)
    except BaseException:
        write.discard()
        raise
    state.finish_config_write(lifecycle, write, lost)
    if memberships is not None:
        click.echo(f"Group memberships from {restore_from}:")
        for line in lifecycle.restore_memberships(memberships).lines():
            click.echo(f"  {line}")


@addons.command()
@click.argument("name")
@click.option("--purge", is_flag=True, help="Drop the addon's tables and columns (after writing a backup).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--backup-dir", metavar="DIR", help="Where to write the backup before a purge [default: instance/backups].")
@pass_state
def uninstall(state: Context, name: str, purge: bool, yes: bool, backup_dir: str | None) -> None:
    """Uninstall an addon, keeping its data unless --purge; disable it in the config."""
    lifecycle = state.lifecycle()
    lost = state.lost_config_write(lifecycle)
    plan = lifecycle.plan_uninstall(name, purge_data=purge)
    write = state.config_write(plan, lost=lost)
    try:
        for line in plan.lines():
            click.echo(line)
        if not yes:
            click.confirm("Go ahead?", abort=True)
        for path in lifecycle.run(plan, backup_dir=backup_dir, config_write=write):
            click.echo(f"Backup written to {path}")
    except BaseException:
        write.discard()
        raise
    click.echo("Done.")
    state.finish_config_write(lifecycle, write, lost)


@addons.command()
@click.argument("names", nargs=-1)
@pass_state
def upgrade(state: Context, names: tuple[str, ...]) -> None:
    """Run pending migrations of the core and of the named (default: all) installed addons."""
    lifecycle = state.lifecycle()
    _show_and_run(lifecycle, lifecycle.plan_upgrade(names))


@cli.command()
@click.option("--host", help="Address to listen on [default: [server] host].")
@click.option("--port", type=click.IntRange(1, 65535), help="Port [default: [server] port].")
@pass_state
def run(state: Context, host: str | None, port: int | None) -> None:
    """Serve the web UI with the development server (one process, reloads nothing)."""
    _serve_development(state.config, state.catalog, host, port)


@cli.command()
@pass_state
def serve(state: Context) -> None:
    """Serve the web UI with gunicorn, [server] workers processes; needs [server] secret_key."""
    from core.web.server import serve_production

    serve_production(state.config, state.catalog)


@cli.command()
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--no-serve", is_flag=True, help="Only create the demo database.")
@pass_state
def demo(state: Context, port: int, no_serve: bool) -> None:
    """Create a fresh demo database under instance/ with every addon and demo data, and serve it with a worker.

    The demo has its own configuration, instance/demo.toml: the installation's
    configuration file and environment are neither read nor written.
    """
    from pathlib import Path

    from core.demo import DEMO_PASSWORD, prepare_demo

    config = prepare_demo(Path("instance").resolve(), state.catalog)
    click.echo(f"Demo database: {config.database_url} (configuration: {config.path})")
    click.echo(f"Log in as admin / {DEMO_PASSWORD} (or maria / {DEMO_PASSWORD}, a contacts user)")
    if no_serve:
        return
    from core import jobs

    worker = jobs.Worker(config, state.catalog).start(workers=1)  # the demo's queued jobs run in this process
    try:
        _serve_development(config, state.catalog, "127.0.0.1", port)
    finally:
        worker.stop()


def _serve_development(config: Config, catalog: Catalog, host: str | None, port: int | None) -> None:
    from werkzeug.serving import run_simple

    from core.web import create_wsgi_app

    host = host or config.get("server", "host")
    port = port or config.get("server", "port")
    application = create_wsgi_app(config, catalog)
    click.echo(f"Bottega is running at http://{host}:{port}/ (Ctrl+C to stop)")
    run_simple(host, port, application, threaded=True)


@cli.command()
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Threads running jobs at the same time.")
@click.option("--periodic/--no-periodic", default=True, show_default=True,
              help="Also run the periodic jobs (run them in one worker only).")
@click.option("--grace-period", type=click.FloatRange(min=0), default=20, show_default=True, metavar="SECONDS",
              help="On SIGTERM, how long running jobs may take to finish before they go back to the queue.")
@pass_state
def worker(state: Context, workers: int, periodic: bool, grace_period: float) -> None:
    """Run the job queue: background jobs, retries and periodic jobs of the installed addons.

    SIGTERM stops it gracefully (running jobs get --grace-period seconds, then
    go back to the queue); SIGINT, or a second SIGTERM, stops it at once, giving
    running jobs back. Jobs of a worker killed outright are queued again once
    past their timeout.
    """
    import logging

    from core.config import redacted
    from core.jobs import import_huey

    state.check_database_url = False  # the worker reads the database before it is ready: that checks the URL
    config = state.config
    import_huey(config)  # before the worker's module imports it

    from core.jobs import Worker

    running = Worker(config, state.catalog)
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    scheduled = sorted(name for name, job in running.jobs.items() if job.schedule is not None)
    click.echo(f"Bottega worker for {redacted(config.database_url)}: {workers} thread(s) on "
               f"{running.queue.describe()}")
    click.echo(f"Jobs: {', '.join(sorted(running.jobs)) or 'none'}")
    click.echo(f"Periodic: {', '.join(scheduled) or 'none'}" if periodic else "Periodic jobs: not run here")
    running.run(workers=workers, periodic=periodic, grace_period=grace_period)


@cli.command()
@click.argument("file", required=False)
@pass_state
def backup(state: Context, file: str | None) -> None:
    """Back up the whole database to FILE [default: instance/backups/bottega-<engine>-<time>.tar.gz].

    Safe while the server runs. The file (mode 0600) also records the installed addons and their versions.
    """
    from core.backup.service import describe, take_backup
    from core.lifecycle.database import redacted

    path, manifest = take_backup(state.config.database_url, file)
    click.echo(f"Backup of {redacted(state.config.database_url)} written to {path}")
    click.echo(f"  {describe(manifest)}")


@cli.command()
@click.argument("file")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_state
def restore(state: Context, file: str, yes: bool) -> None:
    """Replace the content of the configured database with the backup in FILE."""
    from core.backup.service import describe, prepared_restore
    from core.lifecycle.database import redacted

    url = state.config.database_url
    with prepared_restore(file, url, state.catalog) as restoring:
        click.echo(f"Backup {file}: {describe(restoring.manifest)}")
        _ask(f"Replace the content of {redacted(url)} with it?",
             f"restoring replaces the content of {redacted(url)}: run `bottega restore {file} --yes` to go ahead",
             yes)
        restoring.run()
    click.echo(f"Restored {redacted(url)} from {file}.")
    lifecycle = state.lifecycle()
    if lifecycle.plan_upgrade():
        click.echo("The backup is from older code: run `bottega addons upgrade`.")
    if lifecycle.plan_apply(state.config.enabled_addons):
        click.echo(f"Note: its installed addons differ from [addons] enabled in {state.config.path}: "
                   "`bottega addons plan` shows what `apply` would change.")


@cli.group(cls=BottegaGroup)
def mail() -> None:
    """Incoming mail from a mail server (docs/incoming-mail.md)."""


@mail.command()
@click.option("--to", "recipients", multiple=True, metavar="ADDRESS",
              help="The envelope recipient (Postfix: ${original_recipient}); repeat for several. "
                   "Default: the message's Delivered-To, To and Cc.")
@pass_state
def receive(state: Context, recipients: tuple[str, ...]) -> None:
    """Receive one message from standard input, as a mail server's pipe delivers it.

    Exits 0 when delivered, 65 when the message is refused (unreadable, too large, refused by the alias's
    addon), 67 when no alias takes it, 75 when the database is unavailable (the server tries again later);
    the reason is one line on stderr.
    """
    from core.mail_in.receiver import EX_OK, Receiver, outcome_of

    try:
        receiver = Receiver(state.config, state.catalog)
        outcome = receiver.receive(receiver.read(sys.stdin.buffer), recipients)
    except Exception as error:  # the configuration, or a message over the limit: still one line and a status
        outcome = outcome_of(error)
    else:
        receiver.close()
    click.echo(f"{'delivered' if outcome.status == EX_OK else 'refused'}: {outcome.reason}", err=True)
    sys.exit(outcome.status)


@mail.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8024, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@pass_state
def lmtp(state: Context, host: str, port: int) -> None:
    """Listen for LMTP deliveries (Postfix: mailbox_transport or a transport map) until stopped."""
    import threading

    from core.mail_in.lmtp import lmtp_controller
    from core.mail_in.receiver import Receiver

    receiver = Receiver(state.config, state.catalog)
    controller = lmtp_controller(receiver, host, port)
    controller.start()
    click.echo(f"Receiving mail over LMTP on {host}:{port}; stop with Ctrl+C or SIGTERM.")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()
        receiver.close()


@cli.group(cls=BottegaGroup)
def keys() -> None:
    """The keys of encrypted fields ([security] encryption_keys, newest first)."""


@keys.command("generate")
def generate_key() -> None:
    """Print a new key, to put first in [security] encryption_keys."""
    from core.encryption import generate_key as new_key

    click.echo(new_key())


@keys.command()
@pass_state
def rotate(state: Context) -> None:
    """Re-encrypt every encrypted field with the first key; the other keys can be removed afterwards."""
    from core import encrypted_columns, encryption

    lifecycle = state.lifecycle()
    try:
        models = lifecycle.registry().models
        with lifecycle.engine.begin() as connection:  # all values or none
            count = encrypted_columns.rotate(connection, models)
    finally:
        lifecycle.engine.dispose()
    click.echo(f"Re-encrypted {count} values with the first key of {encryption.SETTING}; the keys after it "
               "are no longer needed.")


@cli.group(cls=BottegaGroup)
def dev() -> None:
    """Tools for addon developers."""


@dev.command()
@click.argument("addon")
@click.option("-m", "--message", required=True, help="What the migration does.")
@click.option("--autogenerate/--empty", default=True, help="Fill it from the addon's models [default: yes].")
@pass_state
def revision(state: Context, addon: str, message: str, autogenerate: bool) -> None:
    """Write a new migration in ADDON's branch (or 'core'), diffing only that addon's tables."""
    from core.lifecycle.revisions import new_revision

    path = new_revision(state.catalog, addon, message, autogenerate)
    click.echo(f"Wrote {path}")


@dev.command()
@click.argument("name")
@click.option("--dir", "directory", default=".", show_default=True, metavar="PATH",
              help="Folder in which to create the addon's folder.")
@click.option("--depends", multiple=True, metavar="ADDON", help="An addon it builds on (repeat for several).")
@pass_state
def scaffold(state: Context, name: str, directory: str, depends: tuple[str, ...]) -> None:
    """Create addon NAME in a distribution of its own: manifest, model, migration, group, menu, views, tests."""
    from pathlib import Path

    from core.scaffold import scaffold_addon

    path = scaffold_addon(state.catalog, name, Path(directory), depends)
    click.echo(f"Created addon {name} in {path}")
    click.echo(f"Next: pip install -e {path} && bottega addons install {name}; its tests: pytest {path}")


def _show_and_run(lifecycle: Lifecycle, plan: Plan, config_write: EnabledAddonsWrite | None = None) -> None:
    for line in plan.lines():
        click.echo(line)
    if plan:
        lifecycle.run(plan, config_write=config_write)
        click.echo("Done.")


def main() -> None:
    signal.signal(signal.SIGTERM, _stop)
    try:
        cli(prog_name="bottega")
    finally:
        gc.freeze()  # the process is ending: its heap goes back to the system at once, not cycle by cycle


def _stop(signum, _frame) -> None:
    """``kill`` (SIGTERM) unwinds like Ctrl+C: transactions roll back, staged files are removed."""
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    main()
