"""The backup file: one gzip-compressed tar a user can copy, holding ``manifest.json`` and the dump.

The manifest says what the dump is: the engine, when it was taken, the
installed addons with their versions and the Alembic revisions, all read in
the same snapshot as the dump, and the dump's size and SHA-256, so that a
truncated or damaged file is told apart from a good one before anything is
restored.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
import tarfile
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import BinaryIO

from core.manifest import parse_version

from . import BackupError

FORMAT = 1
MANIFEST = "manifest.json"
DUMP_NAMES = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}
SUFFIX = ".tar.gz"
CHUNK = 1 << 20


@dataclass(frozen=True)
class State:
    """What the database had when the dump was taken."""

    addons: dict[str, dict[str, str]]  # name -> {"version": ..., "state": ...}
    revisions: list[str]  # the rows of alembic_version


@dataclass(frozen=True)
class Manifest:
    engine: str
    state: State
    dump_sha256: str
    dump_size: int
    server_version: str = ""
    created_at: str = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
    format: int = FORMAT

    @property
    def dump_name(self) -> str:
        return DUMP_NAMES[self.engine]

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), indent=1, sort_keys=True).encode("utf-8")

    @classmethod
    def from_json(cls, source: Path, raw: bytes) -> Manifest:
        try:
            data = json.loads(raw)
            if data["format"] > FORMAT:
                raise BackupError(f"{source} was written by a newer Bottega (backup format {data['format']}, "
                                  f"this code reads format {FORMAT}); restore it with that code")
            if data["engine"] not in DUMP_NAMES:
                raise ValueError(f"unknown engine {data['engine']!r}")
            addons = {str(name): {"version": str(addon["version"]), "state": str(addon["state"])}
                      for name, addon in data["state"]["addons"].items()}
            for addon in addons.values():
                parse_version(addon["version"])
            revisions = [str(revision) for revision in data["state"]["revisions"]]
            manifest = cls(engine=data["engine"], state=State(addons, revisions),
                           dump_sha256=str(data["dump_sha256"]), dump_size=int(data["dump_size"]),
                           server_version=str(data.get("server_version", "")), created_at=str(data["created_at"]),
                           format=int(data["format"]))
        except BackupError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise BackupError(f"{source}: not a Bottega backup (its manifest is not readable: "
                              f"{type(exc).__name__}: {exc})") from None
        return manifest


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def write_archive(handle: BinaryIO, manifest: Manifest, dump: Path) -> None:
    """The manifest, then the dump, into ``handle`` (see :func:`core.backup.files.write_private`)."""
    with tarfile.open(fileobj=handle, mode="w:gz", compresslevel=6) as archive:
        raw = manifest.to_json()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mode, info.mtime = len(raw), 0o600, int(dt.datetime.now().timestamp())
        archive.addfile(info, io.BytesIO(raw))
        info = archive.gettarinfo(str(dump), arcname=manifest.dump_name)
        info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
        with open(dump, "rb") as content:
            archive.addfile(info, content)


def read_manifest(path: Path) -> Manifest:
    """Only the manifest (the first member): what a backup holds, without unpacking the dump."""
    with _reading(path) as archive:
        return _manifest(path, archive)


def unpack(path: Path, folder: Path) -> tuple[Manifest, Path]:
    """The manifest and the dump, unpacked into ``folder``; refuses a truncated or altered file."""
    with _reading(path) as archive:
        manifest = _manifest(path, archive)
        member = archive.next()
        if member is None or member.name != manifest.dump_name or not member.isfile():
            raise BackupError(f"{path} is truncated or corrupt: {manifest.dump_name} is missing")
        dump = folder / manifest.dump_name
        with archive.extractfile(member) as source, open(dump, "wb") as target:
            shutil.copyfileobj(source, target, CHUNK)
        while archive.next() is not None:  # read to the end: a cut gzip stream shows only there
            pass
    size = dump.stat().st_size
    if size != manifest.dump_size or sha256_of(dump) != manifest.dump_sha256:
        raise BackupError(f"{path} is truncated or corrupt: its dump does not match the checksum in its manifest "
                          f"({size} bytes, {manifest.dump_size} expected)")
    return manifest, dump


class _reading:
    """``tarfile.open`` whose every failure to read becomes one clear :class:`BackupError`."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self) -> tarfile.TarFile:
        if not self.path.is_file():
            raise BackupError(f"{self.path}: no such backup file")
        try:
            self.archive = tarfile.open(self.path, mode="r:gz")
        except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
            raise BackupError(f"{self.path}: not a Bottega backup, or truncated or corrupt ({_reason(exc)})") from None
        return self.archive

    def __exit__(self, kind, error, _traceback) -> bool:
        self.archive.close()
        if isinstance(error, (tarfile.TarError, EOFError, zlib.error)) or (
                isinstance(error, OSError) and not isinstance(error, (FileNotFoundError, PermissionError))):
            raise BackupError(f"{self.path} is truncated or corrupt ({_reason(error)})") from None
        return False


def _manifest(path: Path, archive: tarfile.TarFile) -> Manifest:
    member = archive.next()
    if member is None or member.name != MANIFEST or not member.isfile():
        raise BackupError(f"{path}: not a Bottega backup (it does not start with {MANIFEST})")
    with archive.extractfile(member) as source:
        return Manifest.from_json(path, source.read())


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
