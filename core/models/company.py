from __future__ import annotations

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from core.db import Base, TimestampMixin, intpk, str120
from core.languages import LANGUAGES


class Company(TimestampMixin, Base):
    """A legal entity whose books and records are kept apart from the others.

    Its profile (address, tax id, IBAN, contact details, logo, language) is
    what its documents say of it: the seller's block of its invoices and
    e-invoices. :mod:`core.companies` checks every value before it is stored.
    """

    __tablename__ = "core_company"
    __audit_exclude__ = ("logo",)  # the image itself; its type is logged when it changes

    id: Mapped[intpk]
    name: Mapped[str120] = mapped_column(unique=True)
    currency_code: Mapped[str] = mapped_column(String(3), default="EUR")
    country_code: Mapped[str | None] = mapped_column(String(2))
    street: Mapped[str | None] = mapped_column(String(120))
    street2: Mapped[str | None] = mapped_column(String(120))
    zip: Mapped[str | None] = mapped_column(String(20))
    city: Mapped[str | None] = mapped_column(String(120))
    province: Mapped[str | None] = mapped_column(String(120))
    #: the tax id in its compact form (``B12345674``, ``IT01234567890`` or ``DE136695976``)
    vat: Mapped[str | None] = mapped_column(String(40))
    #: the account customers pay into, compact (``ES9121000418450200051332``)
    iban: Mapped[str | None] = mapped_column(String(34))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    website: Mapped[str | None] = mapped_column(String(255))
    #: the language of the company's documents when the partner has none
    lang: Mapped[str | None] = mapped_column(String(8), info={"choices": LANGUAGES})
    #: a PNG or JPEG image (see :mod:`core.images`), loaded only when asked for
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    logo_type: Mapped[str | None] = mapped_column(String(32))


class CompanyMixin:
    """Gives a business record its ``company_id``; the core then filters rows by the user's companies."""

    @declared_attr
    def company_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("core_company.id"), index=True)
