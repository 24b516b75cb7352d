from flask_babel import lazy_gettext as _l

from core import MenuItem

from .attributes import Attribute, AttributeValue, OfferedValue
from .models import Product, ProductCategory, Uom
from .security import USER

MENU = (
    MenuItem(id="products.root", label=_l("Products"), sequence=25, icon="cube"),
    MenuItem(id="products.products", label=_l("Products"), parent="products.root",
             endpoint="products.product_list", model=Product),
    MenuItem(id="products.categories", label=_l("Categories"), parent="products.root", sequence=2,
             endpoint="products.category_list", model=ProductCategory),
    MenuItem(id="products.attributes", label=_l("Attributes"), parent="products.root", sequence=4,
             endpoint="products.attribute_list", model=Attribute),
    MenuItem(id="products.attribute_values", label=_l("Attribute values"), parent="products.root", sequence=5,
             endpoint="products.attribute_value_list", model=AttributeValue),
    MenuItem(id="products.offered_values", label=_l("Variant prices"), parent="products.root", sequence=6,
             endpoint="products.offered_value_list", model=OfferedValue),
    # every user reads units (order lines need them); the menu is for the products' people
    MenuItem(id="products.units", label=_l("Units of measure"), parent="products.root", sequence=3,
             endpoint="products.unit_list", model=Uom, group=USER),
)
