"""The Purchase menu: each entry names the model (and operation) it needs; settings are for managers."""
from flask_babel import lazy_gettext as _l

from core import MenuItem

from .models import PurchaseOrder, PurchaseSettings, SupplierPrice
from .security import MANAGER

MENU = (
    MenuItem(id="purchase.root", label=_l("Purchase"), sequence=28, icon="shopping-cart"),
    MenuItem(id="purchase.orders", label=_l("Requests and orders"), parent="purchase.root", sequence=1,
             endpoint="purchase.order_list", model=PurchaseOrder),
    MenuItem(id="purchase.supplier_prices", label=_l("Supplier prices"), parent="purchase.root", sequence=2,
             endpoint="purchase.supplier_price_list", model=SupplierPrice),
    MenuItem(id="purchase.settings", label=_l("Settings"), parent="purchase.root", sequence=9,
             endpoint="purchase.settings_list", model=PurchaseSettings, operation="write", group=MANAGER),
)
