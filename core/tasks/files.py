"""The files of the users' tasks: an import's upload while it waits and runs, an export's file until it expires."""
from __future__ import annotations

import os
import re
import secrets
import time
from pathlib import Path

from core.config import Config

NAME = re.compile(r"[a-z]+-[A-Za-z0-9_-]{16,64}\.[a-z]{3,4}")
#: seconds after which a file goes, by kind: an export's once it expired (core.web.export_tasks.LIFETIME), any
#: other left behind (a request whose transaction rolled back, a worker killed mid-task) after a week
MAX_AGE = {"export": 25 * 3600}
LEFT_BEHIND = 7 * 24 * 3600


class TaskFiles:
    """A private folder (mode 0700) of files named ``<kind>-<random>.<ext>``, each written once."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder).expanduser().resolve()

    @classmethod
    def of(cls, config: Config) -> TaskFiles:
        return cls(config.values["jobs"]["files_path"])

    def new_name(self, kind: str, extension: str) -> str:
        return f"{kind}-{secrets.token_urlsafe(18)}.{extension}"

    def path(self, name: str) -> Path:
        if not NAME.fullmatch(name or ""):
            raise ValueError(f"{name!r} is not the name of a task's file")
        return self.folder / name

    def write(self, name: str, data: bytes) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.sweep()
        path = self.path(name)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        return path

    def delete(self, name: str | None) -> None:
        if name:
            self.path(name).unlink(missing_ok=True)

    def sweep(self) -> None:
        now = time.time()
        for path in self.folder.iterdir():
            age = MAX_AGE.get(path.name.split("-", 1)[0], LEFT_BEHIND)
            try:
                if path.stat().st_mtime < now - age:
                    path.unlink()
            except OSError:
                continue
