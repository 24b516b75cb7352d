"""Uploaded import files, kept between the web pages of one import (upload, mapping, preview, commit).

Files live in a private folder (by default ``<temp>/bottega-imports``, shared
by the workers of one host), under a random token and the id of the user who
uploaded them: another user cannot open them, and files older than
``max_age`` seconds are removed at the next upload.
"""
from __future__ import annotations

import os
import re
import secrets
import tempfile
import time
from pathlib import Path

from flask_babel import lazy_gettext as _l

from .limits import ImportFileError

TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


class UploadStore:
    def __init__(self, folder: str | Path | None = None, max_age: int = 24 * 3600):
        self.folder = Path(folder) if folder else Path(tempfile.gettempdir()) / "bottega-imports"
        self.max_age = max_age

    def _paths(self, owner: int, token: str) -> tuple[Path, Path]:
        if not TOKEN.fullmatch(token or ""):
            raise ImportFileError(_l("This import has expired or does not exist: upload the file again."))
        base = self.folder / f"{int(owner)}-{token}"
        return base.with_suffix(".data"), base.with_suffix(".name")

    def save(self, owner: int, filename: str, data: bytes) -> str:
        """Keep ``data`` for ``owner`` (a user id); returns the token that names it."""
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._sweep()
        token = secrets.token_urlsafe(18)
        data_path, name_path = self._paths(owner, token)
        for path, content in ((data_path, data), (name_path, (filename or "upload").encode("utf-8"))):
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(content)
        return token

    def load(self, owner: int, token: str) -> tuple[str, bytes]:
        """The file name and content an owner uploaded under ``token``."""
        data_path, name_path = self._paths(owner, token)
        try:
            return name_path.read_text(encoding="utf-8"), data_path.read_bytes()
        except FileNotFoundError:
            raise ImportFileError(_l("This import has expired or does not exist: upload the file again.")) from None

    def discard(self, owner: int, token: str) -> None:
        for path in (*self._paths(owner, token), self._checked_path(owner, token)):
            path.unlink(missing_ok=True)

    def _checked_path(self, owner: int, token: str) -> Path:
        return self._paths(owner, token)[0].with_suffix(".checked")

    def note_checked(self, owner: int, token: str, settings: str) -> None:
        """Remember that the file's lines were checked without error with ``settings`` (mapping, encoding)."""
        self._checked_path(owner, token).write_text(settings, encoding="utf-8")

    def checked_with(self, owner: int, token: str) -> str | None:
        """The settings the file was last checked without error with, if any."""
        try:
            return self._checked_path(owner, token).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    def _sweep(self) -> None:
        limit = time.time() - self.max_age
        for path in self.folder.iterdir():
            try:
                if path.stat().st_mtime < limit:
                    path.unlink()
            except OSError:
                continue
