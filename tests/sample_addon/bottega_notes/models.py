from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from core import Base, CompanyMixin, TimestampMixin, intpk


class Note(CompanyMixin, TimestampMixin, Base):
    __tablename__ = "notes_note"

    id: Mapped[intpk]
    partner_id: Mapped[int] = mapped_column(ForeignKey("contacts_partner.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
