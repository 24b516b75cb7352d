from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, UniqueConstraint, event, inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Base, CompanyMixin, TimestampMixin, intpk, str120
from core.fields import field
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
    name: Mapped[str] = mapped_column(String(64), info=field(_l("Name"), listed=True))


def _companies(actor):
    """The partners a contact may work at: companies."""
    return Partner.is_company.is_(True)


def _active_users(actor):
    return User.active.is_(True)


class Partner(CompanyMixin, TimestampMixin, Base):
    """A company or a person; a person may belong to a company (``parent``).

    A contact of a company (``parent`` set) has a ``type``: a person to talk
    to (the default), or the company's invoice or delivery address; a
    partner on its own has none. ``active`` changes only through archiving
    and restoring (services), never as a form or import value.
    """

    __tablename__ = "contacts_partner"
    __audit_exclude__ = ("import_hash", "match_name", "match_block", "match_email", "match_vat")
    __table_args__ = (
        Index("ix_contacts_partner_list", "company_id", "name", "id"),  # the list's default order
        # the duplicate search's keys (see .matching): equal keys of one company are found by these indexes
        Index("ix_contacts_partner_match_name", "company_id", "match_name"),
        Index("ix_contacts_partner_match_block", "company_id", "match_block"),
        Index("ix_contacts_partner_match_email", "company_id", "match_email"),
        Index("ix_contacts_partner_match_vat", "company_id", "match_vat"),
    )

    id: Mapped[intpk]
    name: Mapped[str120] = mapped_column(index=True, info=field(_l("Name"), listed=True))
    is_company: Mapped[bool] = mapped_column(default=False, info=field(_l("Is a company")))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("contacts_partner.id"), index=True, info=field(
        _l("Works at"), listed=True, domain=_companies,
        domain_message=_l("Choose one of your partners that is a company: a contact works at a company.")))
    type: Mapped[str | None] = mapped_column(String(16), info=field(_l("Contact type"), choices=CONTACT_TYPES))
    email: Mapped[str | None] = mapped_column(index=True, info=field(_l("Email"), format="email", listed=True))
    phone: Mapped[str | None] = mapped_column(String(40), info=field(_l("Phone"), format="phone", listed=True))
    mobile: Mapped[str | None] = mapped_column(String(40), info=field(_l("Mobile"), format="phone"))
    street: Mapped[str | None] = mapped_column(info=field(_l("Street")))
    street2: Mapped[str | None] = mapped_column(info=field(_l("Street (2nd line)")))
    zip: Mapped[str | None] = mapped_column(String(20), info=field(_l("Postcode")))
    city: Mapped[str | None] = mapped_column(String(120), info=field(_l("City"), listed=True))
    country_code: Mapped[str | None] = mapped_column(String(2), info=field(_l("Country"), format="country",
                                                                           listed=True))
    vat: Mapped[str | None] = mapped_column(String(40), index=True, info=field(_l("Tax ID"), format="taxid"))
    lang: Mapped[str | None] = mapped_column(String(8), info=field(_l("Language"), choices=LANGUAGES))
    salesperson_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), index=True, info=field(
        _l("Salesperson"), domain=_active_users, domain_message=_l("Choose an active user.")))
    active: Mapped[bool] = mapped_column(default=True, info=field(_l("Active"), internal=True))
    import_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    # Normalized match keys, derived from the fields above whenever a partner is written (.matching): never
    # set directly. The name without accents, case, punctuation or legal form, its first three letters (the
    # block whose names are compared for near-identical ones), the email in lower case, the tax id's key.
    match_name: Mapped[str | None] = mapped_column(String(120), info=field(internal=True))
    match_block: Mapped[str | None] = mapped_column(String(3), info=field(internal=True))
    match_email: Mapped[str | None] = mapped_column(String(255), info=field(internal=True))
    match_vat: Mapped[str | None] = mapped_column(String(48), info=field(internal=True))

    parent: Mapped[Partner | None] = relationship(remote_side="Partner.id")
    salesperson: Mapped[User | None] = relationship()
    tags: Mapped[list[Tag]] = relationship(secondary=partner_tags, order_by=Tag.name, info=field(_l("Tags")))


class PartnerMatch(Base):
    """Two partners of one company that look like the same one, and why (a key of ``matching.REASONS``).

    Kept by :mod:`.matching` whenever a partner's match keys change, so the
    duplicates page reads the pairs instead of comparing partners. ``first_id``
    is the lower id. Archived partners keep their rows (the search leaves them
    out). Rows carry no data of their own; reading them joins both partners,
    whose record rules apply.
    """

    __tablename__ = "contacts_partner_match"
    __audit__ = False  # derived from the partners' names, emails and tax ids, which are audited

    first_id: Mapped[int] = mapped_column(Integer, ForeignKey("contacts_partner.id", ondelete="CASCADE"),
                                          primary_key=True)
    second_id: Mapped[int] = mapped_column(Integer, ForeignKey("contacts_partner.id", ondelete="CASCADE"),
                                           primary_key=True, index=True)
    reason: Mapped[str] = mapped_column(String(8), primary_key=True)


@event.listens_for(Partner, "before_insert")
@event.listens_for(Partner, "before_update")
def _set_match_keys(_mapper, _connection, partner: Partner) -> None:
    from .matching import set_match_keys

    set_match_keys(partner)


@event.listens_for(Partner, "after_insert")
@event.listens_for(Partner, "after_update")
def _refresh_matches(_mapper, connection, partner: Partner) -> None:
    state = inspect(partner).attrs
    if any(getattr(state, key).history.has_changes() for key in ("match_name", "match_email", "match_vat")):
        from .matching import refresh_match_keys

        refresh_match_keys(connection, [partner.id])
