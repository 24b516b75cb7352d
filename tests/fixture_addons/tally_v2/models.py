"""tally 1.1.0's model: 1.0.0's with a currency (see tally/models.py for why it has a metadata of its own)."""
from sqlalchemy import MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from core.db import NAMING_CONVENTION

from ..tally.models import BookColumns


class TallyBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Book(BookColumns, TallyBase):
    currency: Mapped[str | None] = mapped_column(String(3))
