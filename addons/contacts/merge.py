"""Merging two partners that are the same: every reference to the source moves to the target.

:func:`merge_partners` finds the references through the registry, not through
a list kept here: every foreign key to ``contacts_partner`` in a table of an
installed addon (its models' tables and their association tables), so an
addon installed later (CRM leads, invoices, a third-party addon's notes) is
covered without knowing about it. References that are not foreign keys are
the business of the ``partners_merged`` hook.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, inspect, or_, select, update
from sqlalchemy.orm import Session

from core.audit import audited, write_audit
from core.chatter.services import move_chatter
from core.errors import ValidationError
from core.fields import fields_of
from core.registry import CORE
from core.security.records import require_write

from .models import Partner, PartnerMatch

#: what the target keeps as it is; every other field it takes from the source when it has no value
KEPT = ("name", "is_company", "parent_id", "type", "company_id")
MERGED_FIELD = "merged"


@dataclass
class MergeResult:
    """What a merge changed: rows re-pointed per ``table.column``."""

    source_id: int
    target_id: int
    repointed: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.repointed.values())


def partner_references(registry) -> list:
    """(table, column) of every foreign key to ``contacts_partner.id`` in an installed addon's tables.

    The stored near-identical name pairs are not references: the merge stores the target's again.
    """
    partner_table = Partner.__table__
    found, seen = [], set()
    for addon in (CORE, *registry.installed):
        for table in registry.tables_of(addon):
            if table is PartnerMatch.__table__:
                continue
            for foreign_key in table.foreign_keys:
                if foreign_key.column.table is partner_table and (table.name, foreign_key.parent.name) not in seen:
                    seen.add((table.name, foreign_key.parent.name))
                    found.append((table, foreign_key.parent))
    return found


def check_can_merge(session: Session, source: Partner, target: Partner) -> None:
    """Raise unless ``source`` may be merged into ``target`` by the session's user.

    Installed addons may object through the ``partner_merge_blockers`` hook
    (accounting: posted entries never change partner).
    """
    if source.id == target.id:
        raise ValidationError(_l("Choose two different partners to merge."), "target")
    if source.company_id != target.company_id:
        raise ValidationError(_l("%(source)s and %(target)s belong to different companies.",
                                 source=source.name, target=target.name), "target")
    if target.parent_id == source.id:
        raise ValidationError(_l("%(target)s works at %(source)s: merge the person into the company's "
                                 "contact list instead.", source=source.name, target=target.name), "target")
    if not target.active:
        raise ValidationError(_l("%(target)s is archived: restore it before merging into it.", target=target.name),
                              "target")
    if source.is_company and not target.is_company:
        has_children = session.scalar(select(Partner.id).where(Partner.parent_id == source.id).limit(1))
        if has_children:
            raise ValidationError(_l("%(source)s has contacts and %(target)s is a person: merge into a company.",
                                     source=source.name, target=target.name), "target")
    blockers = session.info["registry"].hook.partner_merge_blockers(session=session, source=source, target=target)
    reasons = [str(reason) for found in blockers for reason in found or ()]
    if reasons:
        raise ValidationError(" ".join(reasons), "source")
    require_write(session, Partner, [source, target])


def merge_partners(session: Session, source: Partner, target: Partner) -> MergeResult:
    """Merge ``source`` into ``target`` inside the session's transaction (the caller commits).

    1. checks that the acting user may write both partners;
    2. gives ``target`` the values it lacks (email, phone, address...) and the source's tags;
    3. re-points every foreign key to ``source`` held by an installed addon's table to ``target``
       (Core UPDATEs on the session's connection, each changed row written to the audit log);
       a row that would then clash with one of the target's (the same tag twice) is dropped; the source's
       chatter (messages, activities, followers, attachments) moves to the target too;
    4. calls the ``partners_merged(session, source, target)`` hook;
    5. archives ``source`` and logs the merge on ``target`` (field ``merged``).
    """
    check_can_merge(session, source, target)
    registry = session.info["registry"]

    for name, found in fields_of(Partner).items():
        if found.automatic or found.kind == "many2many" or name in KEPT:
            continue
        if getattr(target, name) in (None, "") and getattr(source, name) not in (None, ""):
            setattr(target, name, getattr(source, name))
    for tag in source.tags:
        if tag not in target.tags:
            target.tags.append(tag)
    session.flush()

    result = MergeResult(source.id, target.id)
    connection = session.connection()
    audit_entries = []
    for table, column in partner_references(registry):
        primary_key = list(table.primary_key.columns)
        clash = _clash_condition(table, column, target.id)
        if clash is not None:
            connection.execute(table.delete().where(column == source.id, clash))
        ids = []
        if len(primary_key) == 1:
            ids = list(connection.scalars(select(primary_key[0]).where(column == source.id)))
        changed = connection.execute(update(table).where(column == source.id).values({column.name: target.id}))
        if changed.rowcount:
            result.repointed[f"{table.name}.{column.name}"] = changed.rowcount
        model = _model_of(registry, table)
        if model is not None and audited(model) and column.key not in _hidden(model):
            field = _attribute_name(model, column)
            audit_entries += [(model, record_id, "update", {field: (source.id, target.id)}) for record_id in ids]
    moved = move_chatter(session, Partner.__tablename__, source.id, target.id)
    if moved:
        result.repointed["chatter"] = moved
    audit_entries.append((Partner, target.id, "update", {MERGED_FIELD: (None, f"{source.name} (#{source.id})")}))
    write_audit(session, audit_entries)
    # what the ORM holds about the re-pointed rows is stale now
    for obj in list(session.identity_map.values()):
        if obj is not source and obj is not target:
            session.expire(obj)
    session.expire(source, ["tags"])
    session.expire(target, ["tags"])

    registry.hook.partners_merged(session=session, source=source, target=target)
    source.active = False
    session.flush()
    return result


def _clash_condition(table, column, target_id):
    """For a table where ``column`` is part of a unique key: rows whose re-pointing would duplicate a target's row.

    When ``column`` alone is unique (one row per partner, e.g. accounting's
    partner row, keyed by the partner), the target keeps its own row and the source's is dropped.
    """
    keys = []
    if column in set(table.primary_key.columns):
        keys.append([c for c in table.primary_key.columns if c is not column])
    if column.unique:
        keys.append([])
    for constraint in table.constraints:
        columns = list(getattr(constraint, "columns", ()))
        if constraint.__class__.__name__ == "UniqueConstraint" and column in columns:
            keys.append([c for c in columns if c is not column])
    for index in table.indexes:
        if index.unique and column in list(index.columns):
            keys.append([c for c in index.columns if c is not column])
    if not keys:
        return None
    other = table.alias("existing")
    conditions = []
    for others in keys:
        conditions.append(exists().where(other.c[column.name] == target_id,
                                         *(other.c[c.name] == c for c in others)))
    return or_(*conditions) if len(conditions) > 1 else conditions[0]


def _model_of(registry, table):
    for model in registry.models:
        if model.__table__ is table:
            return model
    return None


def _hidden(model) -> tuple:
    return tuple(getattr(model, "__audit_exclude__", ()) or ())


def _attribute_name(model, column) -> str:
    for attribute in inspect(model).column_attrs:
        if attribute.columns[0] is column:
            return attribute.key
    return column.name
