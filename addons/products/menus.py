from flask_babel import lazy_gettext as _l

from core import MenuItem

from .models import Product

MENU = (
    MenuItem(id="products.root", label=_l("Products"), sequence=25, icon="box"),
    MenuItem(id="products.products", label=_l("Products"), parent="products.root",
             endpoint="products.product_list", model=Product),
)
