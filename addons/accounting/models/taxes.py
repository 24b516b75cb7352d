"""Taxes: a percentage of the base, added to the price or included in it; negative for withholdings.

A reverse-charge tax (intra-EU purchase, Spanish "inversión del sujeto
pasivo", Italian "inversione contabile") books its amount twice, on
``account_id`` and, opposite, on ``reverse_charge_account_id``: it costs
the buyer nothing yet shows in both halves of the tax report.
"""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core import Base, CompanyMixin, TimestampMixin, intpk, str120
from core.fields import field

from .ledger import ACTIVE_ACCOUNT, Account, active_account

SALE, PURCHASE = "sale", "purchase"
TAX_USES = ((SALE, _l("Sales")), (PURCHASE, _l("Purchases")))


class Tax(CompanyMixin, TimestampMixin, Base):
    __tablename__ = "accounting_tax"
    __table_args__ = (UniqueConstraint("company_id", "code"),)

    id: Mapped[intpk]
    code: Mapped[str] = mapped_column(String(24), info=field(_l("Code"), format="code", listed=True))
    name: Mapped[str120] = mapped_column(info=field(_l("Name"), listed=True))
    use: Mapped[str] = mapped_column(String(8), info=field(_l("Used on"), choices=TAX_USES, listed=True))
    percent: Mapped[Decimal] = mapped_column(Numeric(8, 4), info=field(
        _l("Rate (%)"), minimum=Decimal(-100), maximum=Decimal(100), listed=True,
        help=_l("Negative for a withholding.")))
    price_include: Mapped[bool] = mapped_column(default=False, info=field(_l("Included in price"), listed=True))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounting_account.id"), info=field(
        _l("Account"), domain=active_account(), domain_message=ACTIVE_ACCOUNT))
    reverse_charge_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounting_account.id"), info=field(
        _l("Reverse charge account"), domain=active_account(), domain_message=ACTIVE_ACCOUNT))
    sequence: Mapped[int] = mapped_column(default=10, info=field(_l("Order")))
    active: Mapped[bool] = mapped_column(default=True, info=field(_l("Active"), listed=True))

    account: Mapped[Account] = relationship(foreign_keys=[account_id])
    reverse_charge_account: Mapped[Account | None] = relationship(foreign_keys=[reverse_charge_account_id])

    @property
    def is_withholding(self) -> bool:
        return self.percent < 0

    @property
    def display_name(self) -> str:
        return self.name
