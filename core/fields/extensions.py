"""Fields an addon adds to a model it does not own.

Storage: a one-to-one side table owned by the extending addon, whose primary
key is a foreign key to the extended record with ``ON DELETE CASCADE``::

    class PartnerAccounting(Base):
        __tablename__ = "accounting_partner"
        partner_id: Mapped[int] = mapped_column(
            ForeignKey("contacts_partner.id", ondelete="CASCADE"), primary_key=True)
        credit_limit: Mapped[Decimal | None] = mapped_column(Numeric(18, 2), info=field(CREDIT_LIMIT))

    @hookimpl
    def register_extensions():
        return [Extension(Partner, PartnerAccounting)]

Why a side table rather than columns added to the other addon's table: the
table stays owned by one addon, so the migration check (each addon's
migrations produce exactly its models), purge (downgrading the extending
addon's branch drops its table and nothing else) and the extended model's
class (which cannot change with what is installed) all stay simple.
Uninstalling the extending addon unregisters the extension, so its fields
leave every page while their rows stay; reinstalling shows them again;
deleting the record deletes its side rows in the database, not in Python.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from core.errors import AddonError

from .cleaning import clean
from .resolve import Field, fields_of


@dataclass(frozen=True)
class Extension:
    """``side``'s fields shown and saved as if they were fields of ``model``."""

    model: type
    side: type

    @property
    def key(self) -> str:
        """The side table's column that holds the extended record's id (its primary key)."""
        (column,) = inspect(self.side).primary_key
        return column.key

    @cached_property
    def fields(self) -> dict[str, Field]:
        """The side model's fields shown on the extended model (not its key); computed once."""
        return {name: found for name, found in fields_of(self.side).items()
                if name != self.key and not found.automatic}

    def check(self, addon: str, owned: tuple[type, ...]) -> None:
        """Refuse a side model the addon does not own, or one not keyed by the extended record."""
        name = f"addon {addon}: extension of {self.model.__name__} by {self.side.__name__}"
        if self.side not in owned:
            raise AddonError(f"{name}: the side model must be one of the addon's own models")
        primary = inspect(self.side).primary_key
        keys = [fk for fk in primary[0].foreign_keys] if len(primary) == 1 else []
        if not keys or keys[0].column.table is not inspect(self.model).local_table:
            raise AddonError(f"{name}: its primary key must be a foreign key to {self.model.__tablename__}.id")
        if keys[0].ondelete != "CASCADE":
            raise AddonError(f"{name}: its foreign key must say ondelete='CASCADE'")
        clash = set(self.fields) & set(fields_of(self.model))
        if clash:
            raise AddonError(f"{name}: field(s) {', '.join(sorted(clash))} already exist on {self.model.__name__}")


def extensions_of(registry, model: type, actor=None, operations: tuple[str, ...] = ()) -> tuple[Extension, ...]:
    """The extensions of ``model`` by installed addons (empty without a registry).

    Given an ``actor``, only those whose side records the actor may read and do ``operations`` on
    (e.g. ``("create", "write")`` for a form): a user without access to an addon's records does not
    see its fields at all.
    """
    found = registry.extensions.get(model, ()) if registry is not None else ()
    if actor is None:
        return found
    return tuple(extension for extension in found
                 if all(registry.can(actor, extension.side, operation) for operation in ("read", *operations)))


def extension_values(session: Session, extensions, record) -> dict:
    """The values of ``record``'s fields of ``extensions`` (None where no side row exists yet)."""
    values = {}
    for extension in extensions:
        side = session.get(extension.side, record.id) if record is not None and record.id else None
        for name in extension.fields:
            values[name] = getattr(side, name) if side is not None else None
    return values


def split_values(registry, model: type, values: dict) -> tuple[dict, dict[Extension, dict]]:
    """``values`` parted into the model's own and each extension's."""
    own, by_extension = dict(values), {}
    for extension in extensions_of(registry, model):
        mine = {name: own.pop(name) for name in list(own) if name in extension.fields}
        if mine:
            by_extension[extension] = mine
    return own, by_extension


def save_extension_values(session: Session, registry, record, values: dict[Extension, dict]) -> None:
    """Clean and write extension values on ``record``'s side rows, creating them when missing."""
    for extension, mine in values.items():
        side = session.get(extension.side, record.id)
        cleaned = clean(extension.side, mine, record=side, session=session, creating=False)
        if side is None:
            side = extension.side(**{extension.key: record.id})
            session.add(side)
        for name, value in cleaned.items():
            setattr(side, name, value)
    session.flush()


def complete_side_companies(session: Session, registry, rows) -> None:
    """Give side rows about to be written the company of the record they extend (run before every flush).

    A side table that has a ``company_id`` (so that the allowed-companies rule
    applies to it) always holds its record's: whatever writes the row (a form,
    an import, a service) leaves it to this.
    """
    by_side: dict[Extension, list] = {}
    for row in rows:
        extension = registry.extension_by_side.get(type(row))
        if extension is not None and hasattr(row, "company_id") and hasattr(extension.model, "company_id"):
            by_side.setdefault(extension, []).append(row)
    for extension, found in by_side.items():
        ids = {getattr(row, extension.key) for row in found} - {None}
        companies = dict(session.connection().execute(
            select(extension.model.id, extension.model.company_id).where(extension.model.id.in_(ids))).all())
        links = [rel.key for rel in inspect(extension.side).relationships if rel.mapper.class_ is extension.model]
        for row in found:
            # the record may be set as an object not flushed yet (no id to look up)
            record = next((row.__dict__[key] for key in links if row.__dict__.get(key) is not None), None)
            company_id = record.company_id if record is not None else companies.get(getattr(row, extension.key))
            if company_id is not None and row.company_id != company_id:
                row.company_id = company_id
