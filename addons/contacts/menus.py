from flask_babel import lazy_gettext as _l

from core import MenuItem

from .models import Partner, Tag

MENU = (
    MenuItem(id="contacts.root", label=_l("Contacts"), sequence=20, icon="users"),
    MenuItem(id="contacts.partners", label=_l("Partners"), parent="contacts.root",
             endpoint="contacts.partner_list", model=Partner),
    MenuItem(id="contacts.tags", label=_l("Tags"), parent="contacts.root", sequence=20,
             endpoint="contacts.tag_list", model=Tag),
    MenuItem(id="contacts.duplicates", label=_l("Duplicates"), parent="contacts.root", sequence=30,
             endpoint="contacts.duplicates", model=Partner, operation="write"),
    MenuItem(id="contacts.import", label=_l("Import"), parent="contacts.root", sequence=40,
             endpoint="contacts.partner_import_upload", model=Partner, operation="create"),
)
