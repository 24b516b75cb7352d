"""One installation as a command or a script sees it: the configuration, the known addons, the database.

The ``bottega`` commands (:class:`core.cli.Context`) and scripts
(:func:`core.scripting.session`) open it the same way: the configuration
file (``--config``, ``BOTTEGA_CONFIG`` or ``config/bottega.toml``, with the
environment's overrides) checked against the discovered addons, an engine on
its database, and the registry of the addons installed there.
"""
from __future__ import annotations

import os
from functools import cached_property
from typing import TYPE_CHECKING

from core.catalog import Catalog
from core.config import Config, load_config

if TYPE_CHECKING:
    from pluggy import PluginManager
    from sqlalchemy import Engine

    from core.lifecycle import Lifecycle


class Installation:
    """The configuration named by ``config_path`` (default: the usual resolution), its addons and database.

    ``check_database_url``: whether loading the configuration checks
    ``[database] url`` with SQLAlchemy and its driver; a command that proves
    the URL by reading the database with the driver alone turns it off before
    reading :attr:`config` (``bottega worker``, see :mod:`core.jobs.worker`).
    """

    check_database_url = True

    def __init__(self, config_path: str | os.PathLike | None = None, catalog: Catalog | None = None):
        self.config_path = config_path
        self._catalog = catalog

    @cached_property
    def config(self) -> Config:
        config = load_config(self.config_path, check_database_url=self.check_database_url)
        known = set(self.catalog)
        if any(name not in known for name in config.enabled_addons):
            known |= _recorded_addons(config)  # code gone: the lifecycle says so, and uninstall still works
        config.check_addons(known)
        from core import encryption, jobs

        jobs.configure(config)  # jobs enqueued by this process go to the queue of this configuration
        encryption.configure(config)
        return config

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            self._catalog = Catalog.discover()
            self._catalog.check_all()
        return self._catalog

    def engine(self, create: bool = False) -> Engine:
        from core.lifecycle.database import open_engine

        return open_engine(self.config.database_url, create=create)

    def lifecycle(self) -> Lifecycle:
        from core.lifecycle import Lifecycle

        return Lifecycle(self.engine(), self.catalog)

    def plugins(self) -> PluginManager:
        """The hooks of the installed addons, without building the registry (the CLI finds their commands).

        The installed addons are read with the database's driver alone when
        the URL allows it (:mod:`core.lifecycle.installed_names`), so listing
        the commands imports neither SQLAlchemy nor the models.
        """
        from core.lifecycle.installed_names import installed_names, known_in_order
        from core.plugin_manager import plugin_manager

        names = installed_names(load_config(self.config_path, check_database_url=False).database_url)
        if names is None:
            from core.lifecycle.installed import installed_addons

            engine = self.engine()
            try:
                names = installed_addons(self.catalog, engine)
            finally:
                engine.dispose()
        return plugin_manager(self.catalog, known_in_order(self.catalog, names))[0]


def _recorded_addons(config: Config) -> set[str]:
    """Addons the configured database records, or none if it cannot be read (the command will say why)."""
    from sqlalchemy import inspect, select

    from core.lifecycle.database import open_engine
    from core.models import AddonState

    try:
        engine = open_engine(config.database_url)
    except Exception:
        return set()
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table(AddonState.__tablename__):
                return set()
            return set(connection.scalars(select(AddonState.name)))
    except Exception:
        return set()
    finally:
        engine.dispose()
