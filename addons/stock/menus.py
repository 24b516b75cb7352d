from flask_babel import lazy_gettext as _l

from core import MenuItem

from . import models as m

MENU = (
    MenuItem(id="stock.root", label=_l("Inventory"), sequence=30, icon="archive-box"),
    MenuItem(id="stock.transfers", label=_l("Transfers"), parent="stock.root", endpoint="stock.transfer_list",
             model=m.Transfer, sequence=10),
    MenuItem(id="stock.moves", label=_l("Moves"), parent="stock.root", endpoint="stock.move_list",
             model=m.StockMove, sequence=20),
    MenuItem(id="stock.quants", label=_l("Stock on hand"), parent="stock.root", endpoint="stock.quant_list",
             model=m.Quant, sequence=30),
    MenuItem(id="stock.lots", label=_l("Lots and serial numbers"), parent="stock.root", endpoint="stock.lot_list",
             model=m.Lot, sequence=40),
    MenuItem(id="stock.counts", label=_l("Inventory counts"), parent="stock.root", endpoint="stock.count_list",
             model=m.Count, operation="create", sequence=50),
    MenuItem(id="stock.warehouses", label=_l("Warehouses"), parent="stock.root", endpoint="stock.warehouse_list",
             model=m.Warehouse, operation="create", sequence=60),
    MenuItem(id="stock.locations", label=_l("Locations"), parent="stock.root", endpoint="stock.location_list",
             model=m.Location, operation="create", sequence=70),
    MenuItem(id="stock.reports", label=_l("Reports"), parent="stock.root", endpoint="stock.reports_page",
             model=m.Quant, sequence=35),
    MenuItem(id="stock.replenishment", label=_l("Replenishment"), parent="stock.root", endpoint="stock.replenishment",
             model=m.ReplenishmentLine, sequence=37),
    MenuItem(id="stock.reorder_rules", label=_l("Reorder rules"), parent="stock.root",
             endpoint="stock.reorder_rule_list", model=m.ReorderRule, sequence=38),
    MenuItem(id="stock.settings", label=_l("Stock settings"), parent="stock.root", endpoint="stock.settings_list",
             model=m.StockSettings, operation="write", sequence=80),
)
