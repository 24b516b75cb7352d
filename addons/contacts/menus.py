from flask_babel import lazy_gettext as _l

from core import MenuItem

from .models import Partner

MENU = (
    MenuItem(id="contacts.root", label=_l("Contacts"), sequence=20, icon="people"),
    MenuItem(id="contacts.partners", label=_l("Partners"), parent="contacts.root",
             endpoint="contacts.partner_list", model=Partner),
)
