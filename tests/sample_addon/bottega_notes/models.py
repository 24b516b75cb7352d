from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.contacts.models import Partner
from core import Base, CompanyMixin, TimestampMixin, intpk
from core.fields import field


class Note(CompanyMixin, TimestampMixin, Base):
    __tablename__ = "notes_note"

    id: Mapped[intpk]
    partner_id: Mapped[int] = mapped_column(ForeignKey("contacts_partner.id"), index=True,
                                            info=field(_l("Partner"), listed=True))
    body: Mapped[str] = mapped_column(Text, info=field(_l("Note"), listed=True))

    partner: Mapped[Partner] = relationship()


class PartnerNotes(Base):  # the field notes adds to partners, one row per partner
    __tablename__ = "notes_partner"

    partner_id: Mapped[int] = mapped_column(ForeignKey("contacts_partner.id", ondelete="CASCADE"), primary_key=True)
    favourite_colour: Mapped[str | None] = mapped_column(String(40), info=field(_l("Favourite colour"), listed=True))
