"""Which addons a database has installed: read by every process that builds a registry, without Alembic.

The query names the ``core_addon`` table (:class:`core.models.AddonState`)
with SQLAlchemy Core rather than through the mapped class, so that a
process that only needs the names does not load the models. Listing the
commands reads them without SQLAlchemy at all when it can
(:mod:`core.lifecycle.installed_names`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, column, select, table

from .database import require_initialized
from .installed_names import INSTALLED, known_in_order

if TYPE_CHECKING:
    from core.catalog import Catalog
    from core.registry import Registry

ADDON_ROWS = table("core_addon", column("name"), column("version"), column("state"))  # AddonState's table


def installed_addons(catalog: Catalog, bind: Engine | Connection) -> list[str]:
    """The installed addons whose code is in ``catalog``, dependencies first."""
    if isinstance(bind, Engine):
        require_initialized(bind)
        with bind.connect() as connection:
            return installed_addons(catalog, connection)
    names = bind.scalars(select(ADDON_ROWS.c.name).where(ADDON_ROWS.c.state == INSTALLED))
    return known_in_order(catalog, names)


def installed_registry(catalog: Catalog, bind: Engine | Connection) -> Registry:
    """The registry of the addons installed in ``bind``'s database."""
    from core.registry import build_registry

    return build_registry(catalog, installed_addons(catalog, bind))
