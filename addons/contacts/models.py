from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Base, CompanyMixin, TimestampMixin, intpk, str120

LANGUAGES = (("en", "English"), ("es", "Español"), ("it", "Italiano"))


class Partner(CompanyMixin, TimestampMixin, Base):
    """A company or a person; a person may belong to a company (``parent``)."""

    __tablename__ = "contacts_partner"

    id: Mapped[intpk]
    name: Mapped[str120] = mapped_column(index=True)
    is_company: Mapped[bool] = mapped_column(default=False)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("contacts_partner.id"), index=True)
    email: Mapped[str | None]
    phone: Mapped[str | None] = mapped_column(String(40))
    street: Mapped[str | None]
    city: Mapped[str | None] = mapped_column(String(120))
    zip: Mapped[str | None] = mapped_column(String(20))
    country_code: Mapped[str | None] = mapped_column(String(2))
    vat: Mapped[str | None] = mapped_column(String(40))
    lang: Mapped[str | None] = mapped_column(String(8), info={"choices": LANGUAGES})
    active: Mapped[bool] = mapped_column(default=True)

    parent: Mapped[Partner | None] = relationship(remote_side="Partner.id")
