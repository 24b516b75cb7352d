"""``bottega serve``: gunicorn workers running the Bottega WSGI application."""
from __future__ import annotations

from gunicorn.app.base import BaseApplication

from core.catalog import Catalog
from core.config import Config
from core.errors import ConfigError


class _Gunicorn(BaseApplication):
    def __init__(self, config: Config, catalog: Catalog):
        self.bottega_config = config
        self.catalog = catalog
        super().__init__()

    def load_config(self):
        server = self.bottega_config.values["server"]
        self.cfg.set("bind", f"{server['host']}:{server['port']}")
        self.cfg.set("workers", server["workers"])
        self.cfg.set("preload_app", False)

    def load(self):
        from . import create_wsgi_app

        return create_wsgi_app(self.bottega_config, self.catalog)


def serve_production(config: Config, catalog: Catalog) -> None:
    if not config.get("server", "secret_key"):
        raise ConfigError(
            f"{config.path}: [server] secret_key is empty: set a long random secret (or BOTTEGA_SERVER_SECRET_KEY) "
            "so that every worker signs sessions with the same key"
        )
    workers = config.get("server", "workers")
    if workers > 1 and config.get("server", "ratelimit_storage").startswith("memory://"):
        raise ConfigError(
            f'{config.path}: [server] ratelimit_storage = "memory://" keeps login attempts per process, so '
            f'{workers} workers would allow {workers} times the limits: use "database" (the default) or a '
            "redis:// URL, or set [server] workers = 1"
        )
    _Gunicorn(config, catalog).run()
