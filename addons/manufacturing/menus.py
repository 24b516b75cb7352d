from flask_babel import lazy_gettext as _l

from core import MenuItem

from . import models as m

MENU = (
    MenuItem(id="manufacturing.root", label=_l("Manufacturing"), sequence=35, icon="wrench-screwdriver"),
    MenuItem(id="manufacturing.productions", label=_l("Production orders"), parent="manufacturing.root",
             endpoint="manufacturing.production_list", model=m.Production, sequence=10),
    MenuItem(id="manufacturing.boms", label=_l("Bills of materials"), parent="manufacturing.root",
             endpoint="manufacturing.bom_list", model=m.Bom, sequence=20),
    MenuItem(id="manufacturing.workcentres", label=_l("Work centres"), parent="manufacturing.root",
             endpoint="manufacturing.workcentre_list", model=m.WorkCentre, sequence=30),
    MenuItem(id="manufacturing.operations", label=_l("Operations"), parent="manufacturing.root",
             endpoint="manufacturing.bom_operation_list", model=m.BomOperation, operation="create", sequence=40),
    MenuItem(id="manufacturing.byproducts", label=_l("By-products"), parent="manufacturing.root",
             endpoint="manufacturing.bom_byproduct_list", model=m.BomByproduct, operation="create", sequence=50),
)
