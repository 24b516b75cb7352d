"""tally 1.0.0's model.

Each release of tally keeps its model in a metadata of its own, as if it were
the only code installed: both releases are imported in one test run, and
they map the same table. The foreign key to core_company is in the migration
only, since that metadata does not hold core_company.
"""
from sqlalchemy import MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from core.db import NAMING_CONVENTION, intpk, str120


class TallyBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class BookColumns:
    """The columns of a book in 1.0.0 (1.1.0 adds one)."""

    __tablename__ = "tally_book"

    id: Mapped[intpk]
    company_id: Mapped[int] = mapped_column(index=True)
    name: Mapped[str120]
    code: Mapped[str | None] = mapped_column(String(16))


class Book(BookColumns, TallyBase):
    pass
