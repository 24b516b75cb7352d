"""Noticing a config file that missed the last lifecycle command's change.

A command changes the database, commits, then moves its staged config file
into place. Killed in between, it leaves a database with an addon installed
that the file does not enable, and the next ``bottega addons apply`` would
uninstall it. So each command records, in its own transaction, the file's
``[addons] enabled`` before and after (:func:`record`), and forgets it once
the file is written (:func:`forget`). The next command compares the record
with the file and the database (:func:`lost_write`): an addon the command
added that is installed but missing from the file, or one it removed that
is uninstalled but still in the file, means the write was lost. Otherwise
the record is forgotten.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, delete, inspect, select

from core.models import ConfigIntent


@dataclass(frozen=True)
class LostWrite:
    """The change of ``[addons] enabled`` that a killed command did not get into ``path``."""

    path: Path
    added: tuple[str, ...]
    removed: tuple[str, ...]

    def __str__(self) -> str:
        changes = [f"install of {', '.join(self.added)}"] if self.added else []
        changes += [f"uninstall of {', '.join(self.removed)}"] if self.removed else []
        return f"the last {' and '.join(changes)} did not reach {self.path}"

    def undone_by(self, added: Iterable[str], removed: Iterable[str]) -> tuple[list[str], list[str]]:
        """What of this change a plan adding ``added`` and removing ``removed`` would undo."""
        return sorted(set(self.added) & set(removed)), sorted(set(self.removed) & set(added))


def _key(path: Path) -> str:
    return hashlib.sha256(str(Path(path).resolve()).encode()).hexdigest()


def record(connection: Connection, path: Path, before: Iterable[str], after: Iterable[str]) -> None:
    """Inside the command's transaction: the file is about to go from ``before`` to ``after``."""
    if not inspect(connection).has_table(ConfigIntent.__tablename__):
        return  # the core's migrations are pending (an uninstall does not run them)
    connection.execute(delete(ConfigIntent).where(ConfigIntent.config_key == _key(path)))
    connection.execute(ConfigIntent.__table__.insert().values(
        config_key=_key(path), config_path=str(Path(path).resolve()), enabled_before=sorted(before),
        enabled_after=sorted(after)))


def forget(engine: Engine, path: Path) -> None:
    """The file was written: nothing to remember."""
    with engine.begin() as connection:
        connection.execute(delete(ConfigIntent).where(ConfigIntent.config_key == _key(path)))


def lost_write(engine: Engine, path: Path, in_file: Iterable[str], installed: Iterable[str]) -> LostWrite | None:
    """The recorded change ``path`` lacks (``in_file`` is its own list), as far as the database still has it."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(ConfigIntent.__tablename__):
            return None  # a database whose core is not upgraded yet records nothing
        row = connection.execute(select(ConfigIntent.enabled_before, ConfigIntent.enabled_after)
                                 .where(ConfigIntent.config_key == _key(path))).first()
    if row is None:
        return None
    before, after, now, installed = set(row.enabled_before), set(row.enabled_after), set(in_file), set(installed)
    added = sorted((after - before) & installed - now)
    removed = sorted((before - after) & now - installed)
    if not (added or removed):
        forget(engine, path)  # the file has the change, or the database no longer has it either
        return None
    return LostWrite(Path(path), tuple(added), tuple(removed))
