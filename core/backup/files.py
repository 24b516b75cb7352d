"""Files only their owner may read: backups hold every record, password hashes included."""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

DEFAULT_BACKUP_DIR = Path("instance/backups")
FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(folder: Path) -> Path:
    """``folder``, created with its missing parents for the owner only (an existing folder is left as it is)."""
    missing = [f for f in [folder, *folder.parents] if not f.exists()]
    for created in reversed(missing):
        created.mkdir(mode=FOLDER_MODE)
        os.chmod(created, FOLDER_MODE)  # whatever the umask
    return folder


def write_private(path: Path, write: Callable[[BinaryIO], None]) -> Path:
    """Write ``path`` (mode 0600) through ``write(handle)``, all or nothing.

    The content goes to a hidden partial file beside it, is flushed to disk,
    and only then takes the final name: a write that fails or is killed never
    leaves a file that looks complete. An existing ``path`` is not replaced.
    """
    path = Path(path)
    private_folder(path.parent)
    if path.exists():
        raise FileExistsError(f"{path} already exists")
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.rename(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return path
