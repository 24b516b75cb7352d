from core import MenuItem

from .models import Partner

MENU = (
    MenuItem(id="contacts.root", label="Contacts", sequence=20, icon="people"),
    MenuItem(id="contacts.partners", label="Partners", parent="contacts.root",
             endpoint="contacts.partner_list", model=Partner),
)
