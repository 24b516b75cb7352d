"""Which products are bought to order, and which purchase line buys a sales order line.

Both tables belong to the bridge, so they exist only while sales and purchase
are both installed and go with the bridge when it is purged: the products,
the sales and the purchase orders stay.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.purchase.models import OrderLine
from core import Base
from core.fields import field


class ProductBuyToOrder(Base):
    """What the bridge adds to a product (an extension): whether selling it buys it."""

    __tablename__ = "sales_purchase_product"

    product_id: Mapped[int] = mapped_column(ForeignKey("products_product.id", ondelete="CASCADE"), primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True, info=field(internal=True))
    buy_to_order: Mapped[bool] = mapped_column(default=False, info=field(
        _l("Buy to order"), help=_l("Confirming a sales order of this product asks its preferred supplier for the "
                                    "quantity sold (a request for quotation).")))


class SaleLinePurchase(Base):
    """The purchase line that buys a sales order line (of a product bought to order)."""

    __tablename__ = "sales_purchase_line"
    __audit__ = False  # a link the system writes between two audited records; it goes when either does

    sale_line_id: Mapped[int] = mapped_column(ForeignKey("sales_order_line.id", ondelete="CASCADE"),
                                              primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_order.id", ondelete="CASCADE"), index=True)
    purchase_line_id: Mapped[int] = mapped_column(ForeignKey("purchase_order_line.id", ondelete="CASCADE"),
                                                  index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("core_company.id"), index=True, info=field(internal=True))

    purchase_line: Mapped[OrderLine] = relationship()


ALL = (ProductBuyToOrder, SaleLinePurchase)
