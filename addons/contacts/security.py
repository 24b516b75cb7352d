from core import Group, ModelAccess

from .models import Partner

USER = "contacts.group_user"
MANAGER = "contacts.group_manager"

GROUPS = (
    Group(USER, "Contacts: user", implies=("core.group_user",)),
    Group(MANAGER, "Contacts: manager", implies=(USER,), for_admin=True),
)

ACCESS = (
    ModelAccess(Partner, USER, read=True, create=True, write=True),
    ModelAccess(Partner, MANAGER, read=True, create=True, write=True, delete=True),
)
