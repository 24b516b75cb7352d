"""PostgreSQL through its client tools: ``pg_dump -Fc`` to back up, ``pg_restore`` and ``psql`` to restore.

The dump is taken in a snapshot this module exports (``pg_dump --snapshot``)
and the manifest is read in that same snapshot, so both describe one
instant while the server keeps writing.

A restore must replace the database's content, including tables the backup
does not have (an addon installed since), and leave it untouched if anything
fails. ``pg_restore --single-transaction --clean`` would only drop the
objects in the dump, so ``pg_restore`` writes the dump as SQL and ``psql
--single-transaction`` runs it after a prelude that checks nobody else is
connected and drops and recreates the ``public`` schema (with its owner and
grants): one transaction, all or nothing.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url

from core.lifecycle.database import open_engine, redacted

from . import BackupError
from .archive import State

TOOLS = ("pg_dump", "pg_restore", "psql")
IN_USE = "bottega: the database is in use by other connections"

OTHER_CONNECTIONS = """
SELECT count(*) FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
"""

PRELUDE = f"""
DO $$
DECLARE
  schema_owner text;
  schema_comment text;
  grants text[];
  one_grant text;
BEGIN
  IF ({OTHER_CONNECTIONS}) > 0 THEN
    RAISE EXCEPTION '{IN_USE}';
  END IF;
  SELECT nspowner::regrole::text, obj_description(oid, 'pg_namespace') INTO schema_owner, schema_comment
    FROM pg_namespace WHERE nspname = 'public';
  SELECT array_agg(format('GRANT %s ON SCHEMA public TO %s', a.privilege_type,
                          CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END))
    INTO grants FROM pg_namespace n, aclexplode(n.nspacl) a WHERE n.nspname = 'public';
  DROP SCHEMA IF EXISTS public CASCADE;
  EXECUTE format('CREATE SCHEMA public AUTHORIZATION %s', coalesce(schema_owner, 'CURRENT_USER'));
  FOREACH one_grant IN ARRAY coalesce(grants, '{{}}') LOOP
    EXECUTE one_grant;
  END LOOP;
  EXECUTE format('COMMENT ON SCHEMA public IS %L', schema_comment);
END $$;
"""


def libpq(url: str) -> tuple[str, dict[str, str]]:
    """The URL for the client tools (without the password) and their environment (with it)."""
    parsed = make_url(url)
    environment = dict(os.environ)
    if parsed.password:
        environment["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), environment


def tool(name: str, server_version_num: int) -> str:
    """The path of client tool ``name``; missing, or older than the server, is a clear error."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} was not found on PATH: install the PostgreSQL client tools "
                          f"(version {server_version_num // 10000} or newer, e.g. the postgresql-client package)")
    output = subprocess.run([path, "--version"], capture_output=True, text=True).stdout
    check_tool_version(name, output, server_version_num)
    return path


def check_tool_version(name: str, version_output: str, server_version_num: int) -> None:
    found = re.search(r"\(PostgreSQL\)\s+(\d+)", version_output)
    if found is None:
        raise BackupError(f"{name} --version did not say which version it is: {version_output.strip()!r}")
    major, server_major = int(found.group(1)), server_version_num // 10000
    if major < server_major:
        raise BackupError(f"{name} is version {major}, older than the PostgreSQL {server_major} server: install the "
                          f"client tools of version {server_major} or newer")


def server_version_num(connection: Connection) -> int:
    return int(connection.execute(text("SHOW server_version_num")).scalar_one())


def dump(url: str, target: Path) -> tuple[State, str]:
    """``pg_dump -Fc`` of the database into ``target``; return what it holds and the server version."""
    engine = open_engine(url)
    try:
        with engine.connect() as connection:
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
                state = read_state(connection)
                version = server_version_num(connection)
                address, environment = libpq(url)
                _run([tool("pg_dump", version), "--format=custom", "--compress=0", f"--snapshot={snapshot}",
                      f"--file={target}", f"--dbname={address}"], environment, f"pg_dump of {redacted(url)}")
                return state, connection.execute(text("SHOW server_version")).scalar_one()
    finally:
        engine.dispose()


def read_state(connection: Connection) -> State:
    tables = set(connection.execute(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")).scalars())
    if not {"core_addon", "alembic_version"} <= tables:
        raise BackupError("the database is not initialized (run `bottega init`): there is nothing to back up")
    addons = {name: {"version": version, "state": state} for name, version, state in
              connection.execute(text("SELECT name, version, state FROM core_addon"))}
    revisions = sorted(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())
    return State(addons, revisions)


def check_dump(path: Path, source: Path, url: str) -> None:
    """The dump must be one ``pg_restore`` reads, and the tools able to restore it on this server."""
    version = _target_version(url)
    for name in ("pg_restore", "psql"):
        tool(name, version)
    listed = subprocess.run([shutil.which("pg_restore"), "--list", str(path)], capture_output=True, text=True)
    if listed.returncode != 0:
        raise BackupError(f"{source} is truncated or corrupt: pg_restore cannot read its dump "
                          f"({_first_error(listed.stderr)})")


def check_not_in_use(url: str) -> None:
    engine = open_engine(url)
    try:
        with engine.connect() as connection:
            others = connection.execute(text(OTHER_CONNECTIONS)).scalar_one()
    finally:
        engine.dispose()
    if others:
        raise BackupError(f"database {redacted(url)} is in use by {others} other connection"
                          f"{'s' if others > 1 else ''}: stop the server and the workers, then restore again; "
                          "nothing was changed")


def restore(path: Path, url: str) -> None:
    """Replace the database's content with the dump, in one transaction (see the module's docstring)."""
    address, environment = libpq(url)
    with _scratch_file(PRELUDE) as prelude, tempfile.TemporaryFile() as restore_errors, \
            tempfile.TemporaryFile() as psql_errors:
        writer = subprocess.Popen([shutil.which("pg_restore"), "--no-owner", "--file=-", str(path)],
                                  stdout=subprocess.PIPE, stderr=restore_errors)
        runner = subprocess.Popen([shutil.which("psql"), "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1",
                                   "--single-transaction", f"--file={prelude}", "--file=-", f"--dbname={address}"],
                                  stdin=writer.stdout, stdout=subprocess.DEVNULL, stderr=psql_errors, env=environment)
        writer.stdout.close()  # psql alone reads it: if psql stops, pg_restore stops too
        runner.wait()
        writer.wait()
        if runner.returncode != 0 or writer.returncode != 0:
            reason = _first_error(_text(psql_errors) or _text(restore_errors))
            if IN_USE in reason:
                reason = "it is in use by other connections: stop the server and the workers, then restore again"
            raise BackupError(f"restoring into {redacted(url)} failed: {reason}; nothing was changed")


def _target_version(url: str) -> int:
    engine = open_engine(url, create=True)
    try:
        with engine.connect() as connection:
            return server_version_num(connection)
    finally:
        engine.dispose()


def _run(command: list[str], environment: dict[str, str], what: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, env=environment)
    if result.returncode != 0:
        raise BackupError(f"{what} failed: {_first_error(result.stderr)}")


def _first_error(output: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if "ERROR" in line or "error" in line]
    return (errors or lines or ["no message"])[0]


def _text(handle) -> str:
    handle.seek(0)
    return handle.read().decode(errors="replace")


@contextmanager
def _scratch_file(content: str):
    with tempfile.NamedTemporaryFile("w", suffix=".sql", encoding="utf-8") as handle:
        handle.write(content)
        handle.flush()
        yield handle.name
