from core import Group, ModelAccess, N_

from .attributes import Attribute, AttributeValue, OfferedValue, VariantValue
from .models import Product, ProductCategory, Uom, UomCategory

USER = "products.group_user"
MANAGER = "products.group_manager"

GROUPS = (
    Group(USER, N_("Products: user"), implies=("core.group_user",)),
    Group(MANAGER, N_("Products: manager"), implies=(USER,), for_admin=True),
)

# Record rules: only the built-in "allowed companies" rule (products, categories and attributes have company_id).
# Variants a salesperson's quotation needs are made by the system on their behalf (variants.variant_for).
# Units are shared by every company, like currencies: every user reads them (a purchase or sales line
# needs them without the products group); products managers keep them.
ACCESS = (
    ModelAccess(Product, USER, read=True),
    ModelAccess(Product, MANAGER, read=True, create=True, write=True, delete=True),
    ModelAccess(ProductCategory, USER, read=True),
    ModelAccess(ProductCategory, MANAGER, read=True, create=True, write=True, delete=True),
    *(ModelAccess(model, USER, read=True) for model in (Attribute, AttributeValue, OfferedValue, VariantValue)),
    *(ModelAccess(model, MANAGER, read=True, create=True, write=True, delete=True)
      for model in (Attribute, AttributeValue, OfferedValue)),
    ModelAccess(UomCategory, "core.group_user", read=True),
    ModelAccess(Uom, "core.group_user", read=True),
    ModelAccess(UomCategory, MANAGER, read=True, create=True, write=True),
    ModelAccess(Uom, MANAGER, read=True, create=True, write=True),
)
