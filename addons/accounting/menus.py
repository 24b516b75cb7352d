from flask_babel import lazy_gettext as _l

from core import MenuItem

MENU = (
    MenuItem(id="accounting.root", label=_l("Accounting"), sequence=20, icon="accounting"),
)
