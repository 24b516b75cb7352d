from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from core.db import Base, TimestampMixin, intpk, str120
from core.fields import field
from core.images import MAX_LOGO_BYTES
from core.languages import LANGUAGES


class Company(TimestampMixin, Base):
    """A legal entity whose books and records are kept apart from the others.

    Its profile (address, tax id, IBAN, contact details, logo, language) is
    what its documents say of it: the seller's block of its invoices and
    e-invoices. Each value is checked by the field layer (:func:`core.fields.clean`), then
    by :mod:`core.companies`' business rules, before it is stored.
    """

    __tablename__ = "core_company"
    __audit_exclude__ = ("logo",)  # the image itself; its type is logged when it changes

    id: Mapped[intpk]
    name: Mapped[str120] = mapped_column(unique=True, info=field(_l("Name"), listed=True))
    #: the tax id in its compact form (``B12345674``, ``IT01234567890`` or ``DE136695976``)
    vat: Mapped[str | None] = mapped_column(String(40), info=field(
        _l("Tax ID"), format="taxid", listed=True,
        help=_l("Checked for the company's country; an EU VAT number with its prefix also gives the country.")))
    street: Mapped[str | None] = mapped_column(String(120), info=field(_l("Street")))
    street2: Mapped[str | None] = mapped_column(String(120), info=field(_l("Street (2)")))
    zip: Mapped[str | None] = mapped_column(String(20), info=field(_l("Post code")))
    city: Mapped[str | None] = mapped_column(String(120), info=field(_l("City"), listed=True))
    province: Mapped[str | None] = mapped_column(String(120), info=field(_l("Province or state")))
    country_code: Mapped[str | None] = mapped_column(String(2), info=field(_l("Country"), format="country",
                                                                           listed=True))
    currency_code: Mapped[str] = mapped_column(String(3), default="EUR", info=field(
        _l("Currency"), listed=True, help=_l("The currency of the books: three letters such as EUR or USD.")))
    #: the account customers pay into, compact (``ES9121000418450200051332``)
    iban: Mapped[str | None] = mapped_column(String(34), info=field(
        _l("IBAN"), format="iban", help=_l("The account customers pay into, printed on invoices.")))
    email: Mapped[str | None] = mapped_column(String(254), info=field(_l("Email"), format="email"))
    phone: Mapped[str | None] = mapped_column(String(40), info=field(_l("Phone"), format="phone"))
    website: Mapped[str | None] = mapped_column(String(255), info=field(_l("Website"), format="url"))
    #: the language of the company's documents when the partner has none
    lang: Mapped[str | None] = mapped_column(String(8), info=field(
        _l("Document language"), choices=LANGUAGES,
        help=_l("The language of the company's documents when the customer has none.")))
    #: a PNG or JPEG image (see :mod:`core.images`), loaded only when asked for
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True, info=field(
        _l("Logo"), help=_l("A PNG or JPEG image of at most %(size)s KB, printed on invoices.",
                            size=MAX_LOGO_BYTES // 1024)))
    #: read from the logo's bytes by :mod:`core.companies`, never given
    logo_type: Mapped[str | None] = mapped_column(String(32), info=field(internal=True))

class CompanyMixin:
    """Gives a business record its ``company_id``; the core then filters rows by the user's companies."""

    @declared_attr
    def company_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("core_company.id"), index=True)
