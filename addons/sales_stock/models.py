"""Where a sales order's goods leave from (the order's warehouse, or a line's own), and which deliveries belong
to it.

The tables belong to the bridge, so they exist only while sales and stock
are both installed and go with the bridge when it is purged: the orders and
the transfers stay.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.stock.models import Transfer, Warehouse
from core import Base
from core.fields import field


def _active_warehouse(actor):
    return Warehouse.active.is_(True)


class SaleWarehouse(Base):
    """What the bridge adds to a quotation (an extension): the warehouse its goods are delivered from."""

    __tablename__ = "sales_stock_order"

    order_id: Mapped[int] = mapped_column(ForeignKey("sales_order.id", ondelete="CASCADE"), primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True, info=field(internal=True))
    warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("stock_warehouse.id"), info=field(
        _l("Deliver from"), domain=_active_warehouse, domain_message=_l("Choose an active warehouse."),
        help=_l("The warehouse the goods leave from; empty: the company's first warehouse.")))

    warehouse: Mapped[Warehouse | None] = relationship()


class SaleLineWarehouse(Base):
    """What the bridge adds to a quotation line (an extension): the warehouse its goods leave from, when not the
    order's."""

    __tablename__ = "sales_stock_order_line"

    line_id: Mapped[int] = mapped_column(ForeignKey("sales_order_line.id", ondelete="CASCADE"), primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True, info=field(internal=True))
    warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("stock_warehouse.id"), info=field(
        _l("Warehouse"), domain=_active_warehouse, domain_message=_l("Choose an active warehouse."),
        help=_l("The warehouse this line's goods leave from; empty: the order's.")))

    warehouse: Mapped[Warehouse | None] = relationship()


class SaleDelivery(Base):
    """A delivery (or its backorder, or a return of it) made for a sales order."""

    __tablename__ = "sales_stock_delivery"
    __audit__ = False  # a link the system writes between two audited records; it goes when either does

    transfer_id: Mapped[int] = mapped_column(ForeignKey("stock_transfer.id", ondelete="CASCADE"), primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_order.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True, info=field(internal=True))

    transfer: Mapped[Transfer] = relationship()


ALL = (SaleWarehouse, SaleLineWarehouse, SaleDelivery)
