"""How long a connection waits for another one: shared by the engines, the job queue and the light readers.

Kept apart from :mod:`core.db` so that what reads it (the SQLite job queue,
:mod:`core.lifecycle.installed_names`) does not import SQLAlchemy.
"""

#: How long a SQLite connection waits for another one's write lock before "database is locked" (seconds).
SQLITE_BUSY_TIMEOUT = 30
