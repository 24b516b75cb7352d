from flask_babel import lazy_gettext as _l

from core import MenuItem

from .models import Product, ProductCategory, Uom
from .security import USER

MENU = (
    MenuItem(id="products.root", label=_l("Products"), sequence=25, icon="box"),
    MenuItem(id="products.products", label=_l("Products"), parent="products.root",
             endpoint="products.product_list", model=Product),
    MenuItem(id="products.categories", label=_l("Categories"), parent="products.root", sequence=2,
             endpoint="products.category_list", model=ProductCategory),
    # every user reads units (order lines need them); the menu is for the products' people
    MenuItem(id="products.units", label=_l("Units of measure"), parent="products.root", sequence=3,
             endpoint="products.unit_list", model=Uom, group=USER),
)
