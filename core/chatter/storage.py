"""Attachment files on disk, and the checks on what may be attached.

The bytes live under ``[attachments] folder`` (default ``instance/attachments``),
never in database rows; a row keeps the name, type, size, hash and where the
file is. The type is read from the bytes (the ``filetype`` library), not from
the name: a program renamed ``.pdf`` is refused, and so is a file whose
content does not match its name.
"""
from __future__ import annotations

import hashlib
import mimetypes
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import filetype

from core.config import Config
from core.errors import ValidationError
from core.stored_text import N_, Sentence

#: what may be attached, as read from the bytes
ALLOWED_TYPES = frozenset({
    "application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
    "application/zip",
})
#: text has no signature to sniff: these names are accepted when the bytes are UTF-8 text
TEXT_TYPES = {".txt": "text/plain", ".csv": "text/csv", ".md": "text/markdown"}
#: sniffed types that some names legitimately carry (a .jpg is image/jpeg, an .xlsx is zip inside)
SAME_TYPES = {"image/jpg": "image/jpeg", "application/x-zip-compressed": "application/zip"}
MAX_NAME = 255


@dataclass(frozen=True)
class AttachmentStore:
    """Where attachment files are kept, and how large one may be."""

    folder: Path
    max_bytes: int

    @classmethod
    def of(cls, config: Config) -> AttachmentStore:
        settings = config.values["attachments"]
        return cls(Path(settings["folder"]), settings["max_mb"] * 1024 * 1024)

    @property
    def max_mb(self) -> int:
        return self.max_bytes // (1024 * 1024)

    def check(self, filename: str, data: bytes) -> tuple[str, str]:
        """The cleaned file name and the content type read from ``data``; ValidationError when refused."""
        name = os.path.basename((filename or "").replace("\\", "/")).strip()
        if not name or len(name) > MAX_NAME or any(ch in name for ch in "\r\n\x00"):
            raise ValidationError(Sentence(N_("An attachment needs a file name of at most %(count)s characters."),
                                           count=MAX_NAME), "file")
        if not data:
            raise ValidationError(Sentence(N_("%(name)s is empty."), name=name), "file")
        if len(data) > self.max_bytes:
            raise ValidationError(Sentence(N_("%(name)s is larger than %(size)s MB, the most an attachment may be."),
                                           name=name, size=self.max_mb), "file")
        return name, _content_type(name, data)

    def write(self, data: bytes) -> str:
        """Store the bytes in a new file; returns its key (a path relative to the folder)."""
        key = f"{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}"
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(path)
        return key

    def path(self, key: str) -> Path:
        return self.folder / key

    def remove(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)


def _content_type(name: str, data: bytes) -> str:
    extension = os.path.splitext(name)[1].lower()
    kind = filetype.guess(data)
    if kind is None:
        if extension in TEXT_TYPES and _is_text(data):
            return TEXT_TYPES[extension]
        raise ValidationError(Sentence(N_("The content of %(name)s is not a type that can be attached (documents, "
                                          "images, spreadsheets, plain text)."), name=name), "file")
    sniffed = SAME_TYPES.get(kind.mime, kind.mime)
    if sniffed not in ALLOWED_TYPES:
        raise ValidationError(Sentence(N_("%(name)s holds %(type)s content, which cannot be attached (documents, "
                                          "images, spreadsheets, plain text)."), name=name, type=kind.mime), "file")
    named = mimetypes.guess_type(name, strict=False)[0]
    if named is not None and SAME_TYPES.get(named, named) != sniffed and sniffed != "application/zip":
        raise ValidationError(Sentence(N_("%(name)s is named as %(named)s but holds %(type)s content; rename it or "
                                          "attach the right file."), name=name, named=named, type=sniffed), "file")
    return sniffed


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
