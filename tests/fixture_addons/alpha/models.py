from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from core import Base, CompanyMixin, intpk, str120


class AlphaItem(CompanyMixin, Base):
    __tablename__ = "alpha_item"

    id: Mapped[intpk]
    name: Mapped[str120]
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("contacts_partner.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
