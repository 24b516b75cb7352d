"""The web UI: application factory, shell, generic views, authentication, administration."""
from __future__ import annotations

from core.catalog import Catalog
from core.config import Config
from core.lifecycle.database import open_engine, require_initialized


def create_wsgi_app(config: Config, catalog: Catalog | None = None):
    """The WSGI application for ``config``: what ``bottega run`` and ``bottega serve`` serve."""
    from core import encryption

    from .app import Dispatcher

    encryption.configure(config)
    catalog = catalog or Catalog.discover()
    engine = open_engine(config.database_url)
    require_initialized(engine)
    dispatcher = Dispatcher(config, catalog, engine)
    dispatcher.current()
    return dispatcher
