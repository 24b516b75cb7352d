"""Access checks inside the ORM session, so no service, view or report can skip them.

A session made by :func:`actor_session` carries the acting user. For such a
session:

- every ORM statement (``select``, lazy loads, ORM ``update``/``delete``)
  first checks the user's model access, then gets the user's record rules
  added as ``WHERE`` criteria (``with_loader_criteria``);
- every flush checks create / write / delete access for the objects it
  writes, that the rows being changed or deleted were within the user's
  write / delete rules before the change, and that created or changed rows
  are still within the rules afterwards (you cannot move a record into
  another company). A failed check raises :class:`AccessDenied` and the
  flush, and with it the session's transaction, is rolled back.

A session without an actor is a *system* session: it is used by the addon
lifecycle, migrations and back-office jobs that act for nobody in particular.
"""
from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from core.errors import AccessDenied

if TYPE_CHECKING:
    from sqlalchemy.orm import sessionmaker

    from core.registry import Registry

    from .actor import Actor

_PENDING = "bottega.pending_rule_checks"


def actor_session(factory: sessionmaker, registry: Registry, actor: Actor | None) -> Session:
    """Open a session acting as ``actor`` (``None``: a system session)."""
    session = factory()
    session.info["registry"] = registry
    session.info["actor"] = actor
    return session


def install_enforcement(factory: sessionmaker) -> None:
    event.listen(factory, "do_orm_execute", _check_statement)
    event.listen(factory, "before_flush", _check_flush_before)
    event.listen(factory, "after_flush", _check_flush_after)


def _context(session: Session) -> tuple[Actor | None, Registry | None]:
    return session.info.get("actor"), session.info.get("registry")


def _check_statement(state: ORMExecuteState) -> None:
    actor, registry = _context(state.session)
    if actor is None:
        return
    if state.is_select:
        operation = "read"
    elif state.is_update:
        operation = "write"
    elif state.is_delete:
        operation = "delete"
    elif state.is_insert:
        raise AccessDenied(
            "bulk INSERT statements are not checked record by record; add objects to the session instead"
        )
    else:
        return
    criteria = []
    for mapper in state.all_mappers:
        model = mapper.class_
        registry.require(actor, model, operation)
        clause = registry.rule_clause(actor, model, operation)
        if clause is not None:
            criteria.append(with_loader_criteria(model, clause))
    if criteria:
        state.statement = state.statement.options(*criteria)


def _check_flush_before(session: Session, _flush_context, _instances) -> None:
    actor, registry = _context(session)
    if actor is None:
        return
    after: dict[tuple[type, str], list] = defaultdict(list)
    before: dict[tuple[type, str], list] = defaultdict(list)
    for obj in session.new:
        registry.require(actor, type(obj), "create")
        after[type(obj), "create"].append(obj)
    for obj in session.dirty:
        if session.is_modified(obj):
            registry.require(actor, type(obj), "write")
            before[type(obj), "write"].append(obj)
            after[type(obj), "write"].append(obj)
    for obj in session.deleted:
        registry.require(actor, type(obj), "delete")
        before[type(obj), "delete"].append(obj)
    for (model, operation), objs in before.items():
        _require_within_rules(session, registry, actor, model, operation, objs)
    session.info[_PENDING] = after


def _check_flush_after(session: Session, _flush_context) -> None:
    actor, registry = _context(session)
    pending = session.info.pop(_PENDING, None)
    if actor is None or not pending:
        return
    for (model, operation), objs in pending.items():
        _require_within_rules(session, registry, actor, model, operation, objs)


def _require_within_rules(session, registry, actor, model, operation, objs) -> None:
    """Raise unless every row of ``objs`` meets ``actor``'s rules for ``operation``.

    Runs as a Core statement on the session's connection, so it sees the rows
    as they are in the database at this point of the flush, and fires no ORM
    event of its own.
    """
    clause = registry.rule_clause(actor, model, operation)
    if clause is None:
        return
    mapper = inspect(model)
    pk = mapper.primary_key[0]
    ids = {mapper.primary_key_from_instance(obj)[0] for obj in objs} - {None}
    if not ids:
        return
    allowed = set(
        session.connection().execute(select(pk).where(pk.in_(ids), clause)).scalars()
    )
    refused = sorted(ids - allowed)
    if refused:
        rules = ", ".join(registry.rule_names(actor, model, operation))
        raise AccessDenied(
            f"access denied: {actor.login} may not {operation} {model.__name__} "
            f"{', '.join(map(str, refused))} (record rules: {rules})"
        )
