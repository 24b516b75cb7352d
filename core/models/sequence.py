from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, intpk


class Sequence(Base):
    """The next number of a gapless series (per company, key and period); see core.sequences."""

    __tablename__ = "core_sequence"
    __audit__ = False
    __table_args__ = (UniqueConstraint("company_id", "key", "period"),)

    id: Mapped[intpk]
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"))
    key: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(16), default="")
    next_number: Mapped[int] = mapped_column(default=1)
