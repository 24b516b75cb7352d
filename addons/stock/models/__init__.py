"""Stock records: locations and warehouses, the products' stock fields, moves and quants, counts."""
from .counts import Count, CountLine
from .locations import Location, StockSettings, Warehouse
from .moves import Lot, Quant, StockMove, Transfer
from .products import CategoryStock, ProductStock

__all__ = ["CategoryStock", "Count", "CountLine", "Location", "Lot", "ProductStock", "Quant", "StockMove",
           "StockSettings", "Transfer", "Warehouse"]

ALL = (Warehouse, Location, StockSettings, ProductStock, CategoryStock, Lot, Transfer, StockMove, Quant, Count,
       CountLine)
