"""Buyers choose where an order is delivered; buyers and warehouse staff see which receipts are an order's.

The receipts themselves are written by the system when an order is confirmed
(see :mod:`.services`), so nobody is granted to write the link.
"""
from core import ModelAccess

from .models import OrderDelivery, OrderReceipt

PURCHASE_USER = "purchase.group_user"
STOCK_USER = "stock.group_user"

ACCESS = (
    ModelAccess(OrderDelivery, PURCHASE_USER, read=True, create=True, write=True),
    ModelAccess(OrderDelivery, STOCK_USER, read=True),
    ModelAccess(OrderReceipt, PURCHASE_USER, read=True),
    ModelAccess(OrderReceipt, STOCK_USER, read=True),
)
