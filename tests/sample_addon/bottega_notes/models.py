from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.contacts.models import Partner
from core import Base, CompanyMixin, TimestampMixin, intpk


class Note(CompanyMixin, TimestampMixin, Base):
    __tablename__ = "notes_note"

    id: Mapped[intpk]
    partner_id: Mapped[int] = mapped_column(ForeignKey("contacts_partner.id"), index=True)
    body: Mapped[str] = mapped_column(Text)

    partner: Mapped[Partner] = relationship()
