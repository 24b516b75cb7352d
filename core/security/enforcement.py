"""Access checks inside the ORM session, so no service, view or report can skip them.

A session made by :func:`actor_session` carries the acting user. For such a
session:

- **only SELECT statements may be executed** (``session.execute``,
  ``scalars``, ``scalar``, ``get``, lazy loads). ORM or Core ``insert`` /
  ``update`` / ``delete`` statements, raw SQL (``text()``,
  ``from_statement()``) and the legacy ``bulk_*`` methods (see
  :mod:`core.sessions`) raise :class:`AccessDenied`: records are written by
  changing objects and flushing, where access, record rules and the audit log
  apply;
- every table a SELECT reads, anywhere in it (columns, ``FROM``, joins,
  subqueries, ``exists()``, scalar subqueries, CTEs, unions, aliases), must
  belong to an installed model the user may read; an association table
  counts as the model that uses it as ``secondary``. The user's read rules of
  every such model are added as criteria (``with_loader_criteria`` with
  ``include_aliases``), which SQLAlchemy applies to each ORM entity and
  alias wherever it occurs;
- the statement must be one whose every table SQLAlchemy will filter. A
  table named through its Core ``Table`` (``select(Partner.__table__)``,
  ``Partner.__table__.alias()``, ``sqlalchemy.join(Partner, Note)``), an
  entity the ORM does not treat as an entity of its SELECT (a second entity
  inside one column expression, an entity seen only inside a function in
  ``WHERE``, ``HAVING`` or ``ORDER BY``), a table of no installed model,
  ``text()`` or ``literal_column()`` with SQL in it, and prefixes, suffixes
  and hints are refused rather than read unfiltered. Name entities in the
  columns, ``select_from()``, ``join()`` or plain ``WHERE`` comparisons
  instead. (The walk reads SQLAlchemy 2.1 statement internals;
  ``tests/test_permission_bypasses.py`` pins the shapes.)
- every flush checks create / write / delete access for the objects it
  writes, that the rows being changed or deleted were within the user's
  write / delete rules before the change, and that created or changed rows
  are still within the rules afterwards (you cannot move a record into
  another company). A failed check raises :class:`AccessDenied` and the
  flush, and with it the session's transaction, is rolled back.

A session without an actor is a *system* session: it is used by the addon
lifecycle, migrations and back-office jobs that act for nobody in particular,
and it is not restricted. So is a connection taken with
``session.connection()``: code acting for a user must not use it.
"""
from __future__ import annotations

import re
import weakref
from collections import defaultdict
from typing import TYPE_CHECKING

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.orm.attributes import QueryableAttribute
from sqlalchemy.orm.util import LoaderCriteriaOption
from sqlalchemy.sql import util as sql_util
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.sql.elements import ColumnClause, TextClause
from sqlalchemy.sql.selectable import (
    AliasedReturnsRows,
    CompoundSelect,
    FromGrouping,
    Join,
    Select,
    SelectBase,
    TableClause,
    TableValuedAlias,
    TextualSelect,
    Values,
)

from core.errors import AccessDenied

if TYPE_CHECKING:
    from sqlalchemy.orm import sessionmaker

    from core.registry import Registry

    from .actor import Actor

_PENDING = "bottega.pending_rule_checks"

# literal_column() text that cannot carry SQL of its own: "*" (count(*),
# exists()), a bare name or a number.
_HARMLESS_LITERAL = re.compile(r"\*|[A-Za-z_][A-Za-z0-9_]*|[0-9]+")


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


# --- statements -------------------------------------------------------------------


def _check_statement(state: ORMExecuteState) -> None:
    actor, registry = _context(state.session)
    if actor is None:
        return
    statement = state.statement
    if not isinstance(statement, (Select, CompoundSelect)):
        what, hint = _describe(statement)
        raise AccessDenied(f"access denied: {actor.login} may not run {what} in a user session; {hint}")
    check = _SelectCheck(actor, registry, _tables(registry), relationship_load=state.is_relationship_load)
    check.walk(statement)
    models = check.models | {mapper.class_ for mapper in state.all_mappers}
    criteria = []
    for model in sorted(models, key=lambda m: (m.__module__, m.__qualname__)):
        registry.require(actor, model, "read")
        clause = registry.rule_clause(actor, model, "read")
        if clause is not None:
            criteria.append(_RuleCriteria(model, clause, include_aliases=True))
    if criteria:
        state.statement = statement.options(*criteria)


_WRITE_HINT = (
    "load the records and change, add or delete them through the session (flush), "
    "where access, record rules and the audit log apply"
)
_READ_HINT = "write the query with select() on the models, whose record rules are then applied"


def _describe(statement) -> tuple[str, str]:
    if isinstance(statement, UpdateBase):
        return f"{type(statement).__name__.upper()} statements", _WRITE_HINT
    if isinstance(statement, (TextClause, TextualSelect)):
        return "raw SQL (text())", _READ_HINT
    if type(statement).__name__ == "FromStatement":
        return "select().from_statement()", _READ_HINT
    return f"{type(statement).__name__} statements", "only SELECT statements are allowed"


class _RuleCriteria(LoaderCriteriaOption):
    """``with_loader_criteria`` whose plain criteria are re-pointed at each alias of the model.

    Record rules are written against the model class. SQLAlchemy adapts such
    criteria to an alias in the WHERE clause but not in the ON clause of a
    join to that alias, where it needs the lambda form; adapting here keeps
    the :class:`RecordRule` API a plain expression.
    """

    __slots__ = ()
    # the same cache key as the parent class, with this class in it
    _traverse_internals = LoaderCriteriaOption._traverse_internals

    def _resolve_where_criteria(self, ext_info):
        criteria = super()._resolve_where_criteria(ext_info)
        if getattr(ext_info, "is_aliased_class", False):
            criteria = ext_info._adapter.traverse(criteria)
        return criteria


_TABLE_INDEX: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _tables(registry: Registry) -> dict:
    """Each installed table -> its model, or the models that use it as an association table."""
    index = _TABLE_INDEX.get(registry)
    if index is None:
        index = {}
        for model in registry.models:
            for table in inspect(model).tables:
                index[table] = model
        for addon, models in registry.models_by_addon.items():
            for table in registry.tables_of(addon):
                if table in index:
                    continue
                owners = tuple(
                    model for model in models
                    if any(rel.secondary is table for rel in inspect(model).relationships)
                )
                if owners:
                    index[table] = owners
        _TABLE_INDEX[registry] = index
    return index


def _plain(element):
    return element._deannotate() if element._annotations else element


class _SelectCheck:
    """Walks a SELECT: collects every model it reads and refuses what would not be filtered."""

    def __init__(self, actor: Actor, registry: Registry, tables: dict, relationship_load: bool):
        self.actor = actor
        self.registry = registry
        self.tables = tables
        self.relationship_load = relationship_load
        self.models: set[type] = set()

    def refuse(self, why: str):
        raise AccessDenied(f"access denied: {self.actor.login} may not run this SELECT in a user session: {why}")

    def walk(self, statement) -> None:
        seen = set()
        stack = [statement]
        while stack:
            element = stack.pop()
            if id(element) in seen:
                continue
            seen.add(id(element))
            self.visit(element)
            stack.extend(element.get_children())

    def visit(self, element) -> None:
        entity = element._annotations.get("parententity") if element._annotations else None
        if entity is not None:
            self.models.add(entity.mapper.class_)
        if isinstance(element, UpdateBase):
            self.refuse(f"it contains an {type(element).__name__.upper()}; {_WRITE_HINT}")
        if isinstance(element, TextClause):
            self.refuse(f"raw SQL text {str(element)[:60]!r} cannot be checked; {_READ_HINT}")
        if isinstance(element, ColumnClause):
            if element.is_literal and not _HARMLESS_LITERAL.fullmatch(element.name):
                self.refuse(f"literal_column({element.name[:60]!r}) is raw SQL")
            if isinstance(element.table, TableClause):
                self.note_table(element.table)
        for attribute in ("_prefixes", "_suffixes", "_hints", "_statement_hints"):
            if getattr(element, attribute, None):
                self.refuse("prefixes, suffixes and hints are raw SQL")
        if isinstance(element, Select):
            self.check_scope(element)

    def note_table(self, table) -> None:
        """Record the model(s) a table reference reads; refuse a table of no installed model."""
        owner = self.tables.get(_plain(table))
        if owner is None:
            self.refuse(f"table {table.name!r} is not the table of an installed model")
        if isinstance(owner, tuple):
            self.models.update(owner)
        else:
            self.models.add(owner)
        return owner

    # One SELECT: SQLAlchemy adds an entity's criteria where that SELECT has the
    # entity in its columns (the first entity of a column expression), in
    # select_from(), as a join target, or directly in a WHERE comparison. Every
    # table of the SELECT's FROM list must come from one of those.

    def check_scope(self, stmt: Select) -> None:
        covered: set = set()
        relationship_tables: set = set()

        def cover(entity) -> None:
            if entity is None:
                return
            if entity.is_aliased_class:
                covered.add(_plain(entity.selectable))
            else:
                covered.update(entity.mapper.tables)

        columns = list(stmt._raw_columns)
        while columns:
            column = columns.pop()
            if "bundle" in column._annotations:
                columns.extend(column.clauses)  # each column of a Bundle is an entity column of its own
                continue
            cover(column._annotations.get("parententity")
                  or sql_util.extract_first_column_annotation(column, "parententity"))
        for from_ in stmt._from_obj:
            cover(from_._annotations.get("parententity"))
        for criterion in stmt._where_criteria:
            for element in sql_util.surface_expressions(criterion):
                cover(element._annotations.get("parententity"))

        froms = list(stmt._iterate_from_elements())
        joins = list(stmt._setup_joins)
        for memo in stmt._memoized_select_entities:
            froms.extend(f for column in memo._raw_columns for f in column._from_objects)
            joins.extend(memo._setup_joins)
        for target, _onclause, from_, _flags in joins:
            if from_ is not None:
                cover(from_._annotations.get("parententity"))
                froms.append(from_)
            if isinstance(target, QueryableAttribute):
                prop = target.property
                if not hasattr(prop, "secondary"):
                    self.refuse(f"cannot join to {target}")
                self.models.add(prop.mapper.class_)
                cover(inspect(target._of_type) if target._of_type is not None else prop.mapper)
                if prop.secondary is not None:
                    relationship_tables.add(_plain(prop.secondary))
            elif target is not None:
                cover(target._annotations.get("parententity"))
                froms.append(target)
        for from_ in froms:
            self.check_from(from_, covered, relationship_tables)

    def check_from(self, from_, covered: set, relationship_tables: set) -> None:
        if isinstance(from_, Join):
            self.check_from(from_.left, covered, relationship_tables)
            self.check_from(from_.right, covered, relationship_tables)
        elif isinstance(from_, FromGrouping):
            self.check_from(from_.element, covered, relationship_tables)
        elif isinstance(from_, TableClause):
            table = _plain(from_)
            owner = self.note_table(table)
            if table in covered or table in relationship_tables:
                return
            if isinstance(owner, tuple):
                self.check_association(table, owner, covered)
            else:
                self.refuse(
                    f"table {table.name!r} is not an entity of its SELECT, so record rules would not filter it "
                    f"(a Core Table or column, or {owner.__name__} only inside an expression, ORDER BY or "
                    f"HAVING); name {owner.__name__} or its attributes in the columns, select_from(), join() "
                    f"or a plain WHERE comparison"
                )
        elif isinstance(from_, AliasedReturnsRows):
            if isinstance(from_.element, UpdateBase):
                self.refuse(f"it contains an {type(from_.element).__name__.upper()}; {_WRITE_HINT}")
            inner = from_.element
            while isinstance(inner, AliasedReturnsRows):
                inner = inner.element
            if isinstance(from_, TableValuedAlias) or isinstance(inner, SelectBase):
                return  # a table-valued function, or a subquery / CTE checked as a SELECT of its own
            if _plain(from_) in covered:
                return  # an aliased() entity
            self.refuse(f"a Core alias of {getattr(from_.element, 'name', from_.element)!r} is not filtered by "
                        f"record rules; use sqlalchemy.orm.aliased() on the model")
        elif isinstance(from_, Values):
            return
        else:
            self.refuse(f"cannot check a FROM of type {type(from_).__name__}")

    def check_association(self, table, owners: tuple, covered: set) -> None:
        """An association table outside a relationship: its rows are only as visible as its owners'."""
        if self.relationship_load:
            return  # a lazy / selectin load from an owner row the user has already read
        for owner in owners:
            if (self.registry.rule_clause(self.actor, owner, "read") is not None
                    and not covered.intersection(inspect(owner).tables)):
                self.refuse(f"association table {table.name!r} is read without its {owner.__name__} "
                            f"records, which record rules filter; join through the relationship instead")


# --- flush ------------------------------------------------------------------------


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
        if _is_pending_orphan(obj):
            # Removed from a delete-orphan collection: this flush deletes it.
            registry.require(actor, type(obj), "delete")
            before[type(obj), "delete"].append(obj)
        elif session.is_modified(obj):
            registry.require(actor, type(obj), "write")
            before[type(obj), "write"].append(obj)
            after[type(obj), "write"].append(obj)
    for obj in session.deleted:
        registry.require(actor, type(obj), "delete")
        before[type(obj), "delete"].append(obj)
    for (model, operation), objs in before.items():
        _require_within_rules(session, registry, actor, model, operation, objs, before=True)
    session.info[_PENDING] = after


def _check_flush_after(session: Session, _flush_context) -> None:
    actor, registry = _context(session)
    pending = session.info.pop(_PENDING, None)
    if actor is None or not pending:
        return
    for (model, operation), objs in pending.items():
        _require_within_rules(session, registry, actor, model, operation, objs, before=False)


def _is_pending_orphan(obj) -> bool:
    """Whether the flush will delete ``obj`` as an orphan (SQLAlchemy's own test, ``Mapper._is_orphan``)."""
    state = inspect(obj)
    return state.has_identity and state.mapper._is_orphan(state)


def _require_within_rules(session, registry, actor, model, operation, objs, before: bool) -> None:
    """Raise unless every row of ``objs`` meets ``actor``'s rules for ``operation``.

    ``before``: the rows as they were before this flush (the rows being
    changed or deleted), else as written. When the allowed companies are the
    only rule, each row's company is checked in Python (from the committed
    value before the flush, the written one after); otherwise one Core
    statement on the session's connection checks them all, so it sees the rows
    as they are in the database at this point of the flush and fires no ORM
    event of its own.
    """
    check = registry.rule_check(actor, model, operation)
    if check.clause is None:
        return
    mapper = inspect(model)
    ids = {mapper.primary_key_from_instance(obj)[0] for obj in objs} - {None}
    if not ids:
        return
    if check.companies is not None and not before:
        refused = sorted(_id_of(mapper, obj) for obj in objs if obj.company_id not in check.companies)
    else:
        pk = mapper.primary_key[0]
        allowed = set(session.connection().execute(select(pk).where(pk.in_(ids), check.clause)).scalars())
        refused = sorted(ids - allowed)
    if refused:
        rules = ", ".join(registry.rule_names(actor, model, operation))
        raise AccessDenied(
            f"access denied: {actor.login} may not {operation} {model.__name__} "
            f"{', '.join(map(str, refused))} (record rules: {rules})"
        )


def _id_of(mapper, obj):
    return mapper.primary_key_from_instance(obj)[0]
