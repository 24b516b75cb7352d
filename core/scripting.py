"""Scripts: a session acting as a user of the installation, in one call.

::

    import core

    with core.session(user="admin", company="Bottega Demo S.L.") as s:
        ...  # call services with ``s``, as the web UI and the commands do

The configuration is found as the ``bottega`` command finds it (``config``,
else ``BOTTEGA_CONFIG``, else ``config/bottega.toml``, with the
``BOTTEGA_<SECTION>_<KEY>`` overrides), and the session is the one a
request of that user gets: the installed addons' access rules, record rules,
column checks and audit log apply. The block's work is committed when it
ends normally and rolled back when it raises; the database connections are
closed either way. See the README's "Scripting" section.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from core.installation import Installation
from core.lifecycle import Lifecycle
from core.security import actor_session, find_actor
from core.sessions import make_session_factory


@contextmanager
def session(user: str | int, company: str | int | None = None, *,
            config: str | os.PathLike | None = None) -> Iterator[Session]:
    """A session acting as ``user`` (a login or an id) in ``company`` (a name or an id).

    Without ``company``, the user works in their own default company.
    Raises a :class:`core.errors.BottegaError` naming the argument, before
    anything is written, for a configuration file that does not exist or is
    wrong, a database that is not initialized, an unknown or archived user,
    an unknown company, or a company the user has no access to.
    """
    installation = Installation(config)
    engine = installation.engine()
    try:
        registry = Lifecycle(engine, installation.catalog).registry()
        factory = make_session_factory(engine)
        with factory() as system:
            actor = find_actor(system, registry, user, company)
        with actor_session(factory, registry, actor) as acting:
            try:
                yield acting
            except BaseException:
                acting.rollback()
                raise
            acting.commit()
    finally:
        engine.dispose()
