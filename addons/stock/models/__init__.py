"""Stock records: locations and warehouses, the products' stock fields, moves and quants, counts, reorder rules,
valuation."""
from .counts import Count, CountLine
from .locations import Location, StockSettings, Warehouse
from .moves import Lot, Quant, StockMove, Transfer
from .products import CategoryStock, ProductStock
from .replenishment import ReorderRule, ReplenishmentLine
from .valuation import ALL as VALUATION
from .valuation import CostLayer, LayerUse, ValuationEntry, ValuationState

__all__ = ["CategoryStock", "CostLayer", "Count", "CountLine", "LayerUse", "Location", "Lot", "ProductStock", "Quant",
           "ReorderRule", "ReplenishmentLine", "StockMove", "StockSettings", "Transfer", "ValuationEntry",
           "ValuationState", "Warehouse"]

#: kept by stock managers only
REPLENISHMENT = (ReorderRule, ReplenishmentLine)
ALL = (Warehouse, Location, StockSettings, ProductStock, CategoryStock, Lot, Transfer, StockMove, Quant, Count,
       CountLine, *REPLENISHMENT, *VALUATION)
