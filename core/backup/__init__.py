"""Backups of the whole database (``bottega backup`` / ``restore``) and the private files they are kept in."""
