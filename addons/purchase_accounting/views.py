"""The billing settings page (one row per company) and its menu entry under Accounting › Configuration."""
from flask_babel import lazy_gettext as _l

from core import MenuItem
from core.web.views import ModelView

from .models import BillingSettings

VIEWS = (
    ModelView(BillingSettings, name="settings", slug="settings", label=_l("Purchase billing settings"),
              label_plural=_l("Purchase billing settings"), search_fields=(), list_columns=("policy", "tax_id", "goods_account_id"),
              form_fields=("policy", "tax_id", "goods_account_id")),
)

MENU = (
    MenuItem(id="purchase_accounting.settings", label=_l("Purchase billing"), parent="accounting.config",
             endpoint="purchase_accounting.settings_list", model=BillingSettings, sequence=20),
)
