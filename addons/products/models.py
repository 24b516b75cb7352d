from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core import Base, CompanyMixin, TimestampMixin, intpk, str120
from core.fields import field

GOODS, SERVICE = "goods", "service"
KINDS = ((GOODS, _l("Goods")), (SERVICE, _l("Service")))


class Product(CompanyMixin, TimestampMixin, Base):
    """Something the company sells or buys, known by a code unique in the company.

    ``list_price`` has six decimals so unit prices such as 0.0035 per item fit.
    """

    __tablename__ = "products_product"
    __table_args__ = (UniqueConstraint("company_id", "code"),)

    id: Mapped[intpk]
    code: Mapped[str] = mapped_column(String(40), info=field(_l("Code"), format="code", listed=True))
    name: Mapped[str120] = mapped_column(index=True, info=field(_l("Name"), listed=True))
    kind: Mapped[str] = mapped_column(String(16), default=GOODS, info=field(_l("Kind"), choices=KINDS, listed=True))
    list_price: Mapped[Decimal] = mapped_column(Numeric(18, 6), default=Decimal(0), info=field(
        _l("List price"), minimum=Decimal(0), listed=True))
    description: Mapped[str | None] = mapped_column(Text, info=field(_l("Description")))
    active: Mapped[bool] = mapped_column(default=True, info=field(_l("Active")))

    @property
    def display_name(self) -> str:
        return f"[{self.code}] {self.name}"
