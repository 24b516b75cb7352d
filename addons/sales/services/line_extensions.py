"""Fields other addons add to quotation lines (``register_extensions`` on ``SaleOrderLine``, e.g. the warehouse
of sales_stock): given with a line's values, checked with the line (a refusal names it), and written to the
extension's side row once the line has its id. Sales never knows which fields they are.

A quotation's lines are made again each time it is saved: their side rows go with the old lines (the
foreign key cascades) and come back with the new ones from the values given.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from core.fields import clean, extension_values, extensions_of, split_values

from ..models import SaleOrderLine

#: (line, {extension: its cleaned values}) for the lines of one save
Pending = list[tuple[SaleOrderLine, dict]]


def split(session: Session, values: dict) -> tuple[dict, dict]:
    """A line's own values, and each installed extension's, cleaned."""
    own, by_extension = split_values(session.info.get("registry"), SaleOrderLine, values)
    return own, {extension: clean(extension.side, mine, session=session, creating=False)
                 for extension, mine in by_extension.items()}


def copied(session: Session, line: SaleOrderLine) -> dict:
    """The extension values of ``line``, to give its copy (a new revision's line)."""
    found = {}
    for extension in extensions_of(session.info.get("registry"), SaleOrderLine):
        values = extension_values(session, (extension,), line)
        if any(value is not None for value in values.values()):
            found[extension] = values
    return found


def write(session: Session, pending: Pending) -> None:
    """The side rows of the lines (flushed: they have their ids) given extension values."""
    for line, by_extension in pending:
        for extension, values in by_extension.items():
            if any(value is not None for value in values.values()):
                session.add(extension.side(**{extension.key: line.id}, **values))
    if pending:
        session.flush()
