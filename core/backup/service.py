"""Taking a backup of the configured database, and restoring one into it.

Everything that can refuse a restore is checked before the database is
touched: the file is a complete, unaltered backup; it is of the same engine;
this code knows every addon version and migration in it; the PostgreSQL
tools are there and not older than the server; nobody else is connected.
"""
from __future__ import annotations

import datetime as dt
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from core.catalog import Catalog
from core.lifecycle.database import open_engine, redacted
from core.lifecycle.migrations import Migrations
from core.manifest import parse_version

from . import BackupError, postgresql, sqlite
from .archive import DUMP_NAMES, SUFFIX, Manifest, read_manifest, sha256_of, unpack, write_archive
from .files import DEFAULT_BACKUP_DIR, private_folder, write_private


def engine_of(url: str) -> str:
    return make_url(url).get_backend_name()


def default_path(engine: str) -> Path:
    return DEFAULT_BACKUP_DIR / f"bottega-{engine}-{dt.datetime.now().strftime('%Y%m%d-%H%M%S')}{SUFFIX}"


def describe(manifest: Manifest) -> str:
    installed = [f"{name} {addon['version']}" for name, addon in sorted(manifest.state.addons.items())
                 if addon["state"] == "installed"]
    return f"{manifest.engine} database of {manifest.created_at}, addons: {', '.join(installed) or 'none'}"


def take_backup(url: str, path: Path | str | None = None) -> tuple[Path, Manifest]:
    """Write a backup of the database at ``url`` to ``path`` (default: under instance/backups/), mode 0600."""
    engine = engine_of(url)
    path = Path(path) if path else default_path(engine)
    if path.exists():
        raise BackupError(f"{path} already exists: name another file")
    try:
        folder = private_folder(path.parent)
        with tempfile.TemporaryDirectory(dir=folder, prefix=".bottega-backup-") as scratch:
            dump = Path(scratch) / DUMP_NAMES[engine]
            if engine == "sqlite":
                state, server_version = sqlite.dump(url, dump), sqlite3.sqlite_version
            else:
                state, server_version = postgresql.dump(url, dump)
            manifest = Manifest(engine, state, sha256_of(dump), dump.stat().st_size, server_version)
            write_private(path, lambda handle: write_archive(handle, manifest, dump))
    except OSError as exc:
        raise BackupError(f"cannot write the backup {path}: {exc.strerror or exc}") from None
    return path, manifest


@dataclass(frozen=True)
class Restore:
    """A checked backup, unpacked, ready to replace the content of the database at ``url``."""

    source: Path
    manifest: Manifest
    dump: Path
    url: str

    def run(self) -> None:
        if self.manifest.engine == "sqlite":
            try:
                sqlite.restore(self.dump, self.url)
            except sqlite3.Error as exc:
                raise BackupError(f"restoring into {redacted(self.url)} failed: {exc}; nothing was changed") from None
        else:
            postgresql.restore(self.dump, self.url)


@contextmanager
def prepared_restore(source: Path | str, url: str, catalog: Catalog) -> Iterator[Restore]:
    """Check ``source`` against this code and the database at ``url``; the unpacked dump lives until exit."""
    source = Path(source)
    manifest = read_manifest(source)  # refuse early, before unpacking a large dump
    engine = engine_of(url)
    if manifest.engine != engine:
        raise BackupError(f"{source} is a backup of a {manifest.engine} database; the configured database "
                          f"{redacted(url)} is {engine}: restore it into a {manifest.engine} database")
    check_code(source, manifest, catalog)
    with tempfile.TemporaryDirectory(prefix="bottega-restore-") as scratch:
        manifest, dump = unpack(source, Path(scratch))
        if engine == "sqlite":
            sqlite.check_dump(dump, source)
        else:
            postgresql.check_dump(dump, source, url)
        open_engine(url, create=True).dispose()  # a new database to restore into is made first
        if engine == "postgresql":
            postgresql.check_not_in_use(url)
        yield Restore(source, manifest, dump, url)


def check_code(source: Path, manifest: Manifest, catalog: Catalog) -> None:
    """Refuse a backup taken with code newer than this one: its schema could not be read or upgraded here."""
    addons = manifest.state.addons
    unknown = sorted(name for name in addons if name not in catalog)
    if unknown:
        raise BackupError(f"{source} has addon{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}, which this "
                          "code does not know: install the package, then restore again; nothing was changed")
    newer = [f"{name} {addon['version']} (this code has {catalog[name].version})"
             for name, addon in sorted(addons.items())
             if parse_version(addon["version"]) > parse_version(catalog[name].version)]
    if newer:
        raise BackupError(f"{source} was taken with newer code: {', '.join(newer)}; install that code, then "
                          "restore again; nothing was changed")
    migrations = Migrations(catalog)
    unknown = [revision for revision in manifest.state.revisions if not migrations.knows(revision)]
    if unknown:
        raise BackupError(f"{source} was taken with newer code: its database has migrations this code does not "
                          f"know ({', '.join(unknown)}); install that code, then restore again; nothing was changed")
