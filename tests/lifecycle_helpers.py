"""Helpers for lifecycle tests: a catalog of fixture addons, a config file, the CLI in-process or as a real process."""
from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from alembic import command
from click.testing import CliRunner
from sqlalchemy import inspect, text

from core.catalog import Catalog
from core.cli import Context, cli
from core.db import make_engine
from core.lifecycle.database import migration_transaction
from core.lifecycle.migrations import Migrations

FIXTURES = "tests.fixture_addons"
PROCESS_DEADLINE = 240  # seconds for a `bottega` process; only reached when something hangs


def fixture_catalog(*names: str) -> Catalog:
    return Catalog.from_modules(["addons.contacts", *(f"{FIXTURES}.{n}" for n in names)])


def write_config(folder: Path, url: str, enabled=()) -> Path:
    path = folder / "bottega.toml"
    names = ", ".join(f'"{n}"' for n in enabled)
    path.write_text(f'# test config\n[database]\nurl = "{url}"\n\n[addons]\nenabled = [{names}]\n')
    return path


class Bottega:
    """Runs ``bottega`` commands against one config file and catalog, like a user would."""

    def __init__(self, config_path: Path, catalog: Catalog):
        self.config_path = config_path
        self.catalog = catalog

    def __call__(self, *args: str, input: str | None = None, env: dict[str, str] | None = None):
        return CliRunner().invoke(
            cli, ["--config", str(self.config_path), *args], obj=Context(catalog=self.catalog), input=input,
            env=env,
        )


def downgrade(engine, catalog: Catalog, revision: str) -> Migrations:
    """Take ``engine``'s database back to ``revision`` (to test how a later migration upgrades old data);
    returns the :class:`Migrations` to upgrade it again with."""
    migrations = Migrations(catalog)
    with migration_transaction(engine) as connection:
        migrations.config.attributes["connection"] = connection
        command.downgrade(migrations.config, revision)
    return migrations


def tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return set(inspect(connection).get_table_names())
    finally:
        engine.dispose()


def columns(url: str, table: str) -> set[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {column["name"] for column in inspect(connection).get_columns(table)}
    finally:
        engine.dispose()


def query(url: str, sql: str, **params) -> list[tuple]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql), params)]
    finally:
        engine.dispose()


def execute(url: str, sql: str, **params) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(sql), params)
    finally:
        engine.dispose()


def bottega_process(config_path: Path, *args: str, cwd: Path, code: str | None = None, **popen):
    """The real ``bottega`` command in its own process; ``code`` runs first (e.g. to make it die somewhere)."""
    prelude = ["-c", f"{code}\nimport sys\nfrom core.cli import main\nsys.argv[0] = 'bottega'\nmain()"] if code \
        else ["-m", "core.cli"]
    return subprocess.Popen([sys.executable, *prelude, "--config", str(config_path), *args], cwd=cwd, **popen)


def run_bottega(config_path: Path, *args: str, cwd: Path, code: str | None = None) -> subprocess.CompletedProcess:
    """Run ``bottega`` to its end in a script: no terminal, nothing on its standard input."""
    process = bottega_process(config_path, *args, cwd=cwd, code=code, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stdout, stderr = process.communicate(timeout=PROCESS_DEADLINE)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def read_until(stream, marker: str, deadline: float = PROCESS_DEADLINE) -> str:
    """Read a process's output until ``marker`` shows (a prompt written without a newline)."""
    seen = ""
    stop = time.monotonic() + deadline
    descriptor = stream.fileno()
    while marker not in seen:
        ready, _w, _x = select.select([descriptor], [], [], max(0.0, stop - time.monotonic()))
        if not ready:
            raise AssertionError(f"{marker!r} not seen before the deadline; output so far: {seen!r}")
        chunk = os.read(descriptor, 4096).decode()
        if not chunk:
            raise AssertionError(f"the process ended before {marker!r}; output: {seen!r}")
        seen += chunk
    return seen


def run_bottega_at_terminal(config_path: Path, *args: str, cwd: Path, answer: str) -> tuple[int, str]:
    """Run ``bottega`` on a pseudo-terminal, as a person would, and answer its question with ``answer``."""
    master, slave = pty.openpty()
    process = bottega_process(config_path, *args, cwd=cwd, stdin=slave, stdout=slave, stderr=slave)
    os.close(slave)
    output, answered = b"", False
    stop = time.monotonic() + PROCESS_DEADLINE
    try:
        while True:
            ready, _w, _x = select.select([master], [], [], max(0.0, stop - time.monotonic()))
            if not ready:
                raise AssertionError(f"bottega did not finish before the deadline; output: {output!r}")
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            output += chunk
            if not answered and b"[y/N]" in output:
                os.write(master, answer.encode() + b"\n")
                answered = True
        return process.wait(timeout=PROCESS_DEADLINE), output.decode().replace("\r\n", "\n")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)
