"""One requirements run per company at a time: the run locks the company's planning row until its transaction
ends.

PostgreSQL: ``SELECT ... FOR UPDATE NOWAIT`` on the row, so a second planner
is refused at once while the first one's run is open (and within
``BUSY_WAIT`` when the first run of a company has just made its row). SQLite: the lock is the
database's write lock, taken before the first write (``core.db``: BEGIN
IMMEDIATE); the second planner waits for the first to finish (up to the busy
timeout) and is refused with the same message when it cannot get it.
"""
from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from core.errors import ValidationError

from .models import PlanningState

BUSY_WAIT = "2s"


def busy_error() -> ValidationError:
    return ValidationError(gettext(
        "Another planner is running the requirements of this company right now. Wait until that run ends, then "
        "run them again."), "company_id")


def lock_planning(session: Session, company_id: int) -> PlanningState:
    """The company's planning row, created when missing, locked until the transaction ends (or refused with
    :func:`busy_error`)."""
    actor = session.info.get("actor")
    if actor is not None:
        session.info["registry"].require(actor, PlanningState, "create")
    connection = session.connection()
    postgresql = connection.dialect.name == "postgresql"
    if postgresql:
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    try:
        with session.begin_nested():
            if postgresql:  # a first run whose row is not committed yet makes the insert wait: not for long
                connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{BUSY_WAIT}'")
            connection.execute(insert(PlanningState.__table__)
                               .values(company_id=company_id, proposals=0, demands=0)
                               .on_conflict_do_nothing(index_elements=["company_id"]))
            state = session.scalars(select(PlanningState).where(PlanningState.company_id == company_id)
                                   .with_for_update(nowait=postgresql)
                                   .execution_options(populate_existing=True)).one()
            if postgresql:
                connection.exec_driver_sql("SET LOCAL lock_timeout TO DEFAULT")
            return state
    except OperationalError as error:
        raise busy_error() from error
