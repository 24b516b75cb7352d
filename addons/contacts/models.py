from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Base, CompanyMixin, TimestampMixin, intpk, str120
from core.languages import LANGUAGES
from core.models import User


CONTACT, INVOICE, DELIVERY = "contact", "invoice", "delivery"
CONTACT_TYPES = ((CONTACT, _l("Contact")), (INVOICE, _l("Invoice address")), (DELIVERY, _l("Delivery address")))


partner_tags = Table(
    "contacts_partner_tag",
    Base.metadata,
    Column("partner_id", ForeignKey("contacts_partner.id"), primary_key=True),
    Column("tag_id", ForeignKey("contacts_tag.id"), primary_key=True, index=True),
)


class Tag(CompanyMixin, TimestampMixin, Base):
    """A label for partners ("Customer", "Supplier", "VIP"), kept per company."""

    __tablename__ = "contacts_tag"
    __table_args__ = (UniqueConstraint("company_id", "name"),)

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(64))


class Partner(CompanyMixin, TimestampMixin, Base):
    """A company or a person; a person may belong to a company (``parent``).

    A contact of a company (``parent`` set) has a ``type``: a person to talk
    to (the default), or the company's invoice or delivery address; a
    partner on its own has none.
    """

    __tablename__ = "contacts_partner"
    __audit_exclude__ = ("import_hash",)

    id: Mapped[intpk]
    name: Mapped[str120] = mapped_column(index=True)
    is_company: Mapped[bool] = mapped_column(default=False)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("contacts_partner.id"), index=True)
    type: Mapped[str | None] = mapped_column(String(16), info={"choices": CONTACT_TYPES})
    email: Mapped[str | None] = mapped_column(index=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    mobile: Mapped[str | None] = mapped_column(String(40))
    street: Mapped[str | None]
    street2: Mapped[str | None]
    city: Mapped[str | None] = mapped_column(String(120))
    zip: Mapped[str | None] = mapped_column(String(20))
    country_code: Mapped[str | None] = mapped_column(String(2))
    vat: Mapped[str | None] = mapped_column(String(40), index=True)
    lang: Mapped[str | None] = mapped_column(String(8), info={"choices": LANGUAGES})
    salesperson_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    import_hash: Mapped[str | None] = mapped_column(String(64), index=True)

    parent: Mapped[Partner | None] = relationship(remote_side="Partner.id")
    salesperson: Mapped[User | None] = relationship()
    tags: Mapped[list[Tag]] = relationship(secondary=partner_tags, order_by=Tag.name)
