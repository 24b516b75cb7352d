"""Backups of the whole database (``bottega backup`` / ``restore``) and the private files they are kept in.

:mod:`.service` takes and restores backups, :mod:`.archive` is the file
format, :mod:`.sqlite` and :mod:`.postgresql` do the engines' work.
"""
from core.errors import BottegaError


class BackupError(BottegaError):
    """A backup cannot be taken or restored as asked; the database was not changed."""
