from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core import Base, CompanyMixin, intpk, str120
from core.fields import field

STAGES = (("new", "New"), ("doing", "Doing"), ("done", "Done"))


class AlphaItem(CompanyMixin, Base):
    __tablename__ = "alpha_item"

    id: Mapped[intpk]
    name: Mapped[str120]
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("contacts_partner.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    stage: Mapped[str] = mapped_column(String(16), default="new", info=field("Stage", choices=STAGES))
