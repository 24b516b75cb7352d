"""Setting an addon up once its branch is at head: its groups, then its ``after_install`` hook.

Migrations change the schema only; the data an addon needs to work (groups,
charts, journals, defaults, a row per company) is made here, by today's code
on today's schema, so a column added by a later migration never breaks an
older data step. :func:`set_up` runs for one addon at a time (the one just
installed, installed again or upgraded, never the others), on the
lifecycle's connection and inside its transaction: if it fails, the whole
command is rolled back and the addon is not installed.
"""
from __future__ import annotations

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from core.models.user import Group as GroupRow
from core.registry import Registry
from core.security import actor_session
from core.sessions import make_session_factory


def set_up(connection: Connection, registry: Registry, addon: str, previous_version: str | None) -> None:
    """Create or relabel ``addon``'s groups, then call its own ``after_install`` with a system session.

    ``registry`` must be that of the installed addons including ``addon``.
    The hook's writes are flushed, not committed: the lifecycle commits them
    with everything else.
    """
    sync_groups(connection, registry, addon)
    others = [plugin for name, plugin in registry.pm.list_name_plugin() if name != addon]
    hook = registry.pm.subset_hook_caller("after_install", remove_plugins=others)
    if not hook.get_hookimpls():
        return
    # rollback_only: the session neither commits nor ends the lifecycle's transaction
    factory = make_session_factory(connection, join_transaction_mode="rollback_only")
    with actor_session(factory, registry, None) as session:
        hook(session=session, previous_version=previous_version)
        session.flush()


def sync_groups(connection: Connection, registry: Registry, addon: str) -> None:
    """Create or relabel the rows of the groups ``addon`` declares (so its hook may use them)."""
    declared = {key: group for key, (owner, group) in registry.groups.items() if owner == addon}
    with Session(bind=connection) as session:
        existing = {g.key: g for g in session.scalars(select(GroupRow).where(GroupRow.key.in_(declared)))}
        for key, group in declared.items():
            row = existing.get(key) or GroupRow(key=key)
            row.label = group.label
            row.addon = addon
            session.add(row)
        session.flush()
