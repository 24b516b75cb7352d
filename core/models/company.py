from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from core.db import Base, TimestampMixin, intpk, str120


class Company(TimestampMixin, Base):
    """A legal entity whose books and records are kept apart from the others."""

    __tablename__ = "core_company"

    id: Mapped[intpk]
    name: Mapped[str120] = mapped_column(unique=True)
    currency_code: Mapped[str] = mapped_column(String(3), default="EUR")
    country_code: Mapped[str | None] = mapped_column(String(2))


class CompanyMixin:
    """Gives a business record its ``company_id``; the core then filters rows by the user's companies."""

    @declared_attr
    def company_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("core_company.id"), index=True)
