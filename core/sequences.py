"""Gapless numbering: per company, key (e.g. ``accounting.journal.3``) and period (e.g. ``2026``).

``next_number`` takes the next number inside the caller's transaction and
keeps the sequence row locked until that transaction ends: a concurrent
caller waits, a rollback gives the number back, so committed numbers are
unique and without holes. Call it as late as possible in the transaction
(right before commit), since it serialises everyone numbering the same series.
"""
from __future__ import annotations

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from core.models import Sequence

_table = Sequence.__table__


def next_number(session: Session, company_id: int, key: str, period: str = "") -> int:
    return reserve_numbers(session, company_id, key, period, 1)


def reserve_numbers(session: Session, company_id: int, key: str, period: str = "", count: int = 1) -> int:
    """Take ``count`` consecutive numbers at once (a batch's); return the first. Same lock as one by one."""
    connection = session.connection()
    where = (
        (_table.c.company_id == company_id)
        & (_table.c.key == key)
        & (_table.c.period == period)
    )
    bump = update(_table).where(where).values(next_number=_table.c.next_number + count).returning(
        _table.c.next_number
    )
    taken = connection.execute(bump).scalar()
    if taken is None:
        _create_row(connection, company_id, key, period)
        taken = connection.execute(bump).scalar_one()
    return taken - count


def _create_row(connection, company_id: int, key: str, period: str) -> None:
    """Insert the series' row; when another transaction inserts it first, use theirs."""
    values = {"company_id": company_id, "key": key, "period": period, "next_number": 1}
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        connection.execute(pg_insert(_table).values(values).on_conflict_do_nothing())
    else:
        connection.execute(insert(_table).prefix_with("OR IGNORE").values(values))

