from core import Group, ModelAccess

from .models import Product

USER = "products.group_user"
MANAGER = "products.group_manager"

GROUPS = (
    Group(USER, "Products: user", implies=("core.group_user",)),
    Group(MANAGER, "Products: manager", implies=(USER,), for_admin=True),
)

# Record rules: only the built-in "allowed companies" rule (products have company_id).
ACCESS = (
    ModelAccess(Product, USER, read=True),
    ModelAccess(Product, MANAGER, read=True, create=True, write=True, delete=True),
)
