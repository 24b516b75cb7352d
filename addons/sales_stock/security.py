"""Salespeople choose where an order's (or a line's) goods leave from (and so read the warehouses); salespeople and warehouse
staff see which deliveries are an order's.

The deliveries themselves are written by the system when an order is
confirmed (see :mod:`.deliveries`), so nobody is granted to write the link.
"""
from addons.stock.models import Warehouse
from core import ModelAccess

from .models import SaleDelivery, SaleLineWarehouse, SaleWarehouse

SALESPERSON = "sales.group_salesperson"
STOCK_USER = "stock.group_user"

ACCESS = (
    ModelAccess(SaleWarehouse, SALESPERSON, read=True, create=True, write=True),
    ModelAccess(SaleWarehouse, STOCK_USER, read=True),
    ModelAccess(SaleLineWarehouse, SALESPERSON, read=True, create=True, write=True),
    ModelAccess(SaleLineWarehouse, STOCK_USER, read=True),
    ModelAccess(Warehouse, SALESPERSON, read=True),
    ModelAccess(SaleDelivery, SALESPERSON, read=True),
    ModelAccess(SaleDelivery, STOCK_USER, read=True),
)
