from core import Group, ModelAccess, N_

from .models import Partner, PartnerMatch, Tag

USER = "contacts.group_user"
MANAGER = "contacts.group_manager"

GROUPS = (
    Group(USER, N_("Contacts: user"), implies=("core.group_user",)),
    Group(MANAGER, N_("Contacts: manager"), implies=(USER,), for_admin=True),
)

# Record rules: only the built-in "allowed companies" rule (partners and tags have company_id).
ACCESS = (
    ModelAccess(Partner, USER, read=True, create=True, write=True),
    ModelAccess(Partner, MANAGER, read=True, create=True, write=True, delete=True),
    ModelAccess(Tag, USER, read=True, create=True),
    ModelAccess(Tag, MANAGER, read=True, create=True, write=True, delete=True),
    # written by the contacts services only (.matching); read joined with both partners, whose rules apply
    ModelAccess(PartnerMatch, USER, read=True),
)
