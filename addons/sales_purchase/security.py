"""Product managers say which products are bought to order; everyone who reads products sees it. Salespeople
and buyers see which purchase line buys a sales order line.

The link is written by the system when an order is confirmed (see
:mod:`.buying`), so nobody is granted to write it.
"""
from core import ModelAccess

from .models import ProductBuyToOrder, SaleLinePurchase

ACCESS = (
    ModelAccess(ProductBuyToOrder, "products.group_user", read=True),
    ModelAccess(ProductBuyToOrder, "products.group_manager", read=True, create=True, write=True),
    ModelAccess(SaleLinePurchase, "sales.group_salesperson", read=True),
    ModelAccess(SaleLinePurchase, "purchase.group_user", read=True),
)
