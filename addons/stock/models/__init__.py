"""Stock records: locations and warehouses, the products' stock fields, moves and quants, counts, reorder rules."""
from .counts import Count, CountLine
from .locations import Location, StockSettings, Warehouse
from .moves import Lot, Quant, StockMove, Transfer
from .products import CategoryStock, ProductStock
from .replenishment import ReorderRule, ReplenishmentLine

__all__ = ["CategoryStock", "Count", "CountLine", "Location", "Lot", "ProductStock", "Quant", "ReorderRule",
           "ReplenishmentLine", "StockMove", "StockSettings", "Transfer", "Warehouse"]

#: kept by stock managers only
REPLENISHMENT = (ReorderRule, ReplenishmentLine)
ALL = (Warehouse, Location, StockSettings, ProductStock, CategoryStock, Lot, Transfer, StockMove, Quant, Count,
       CountLine, *REPLENISHMENT)
