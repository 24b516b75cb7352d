from flask_babel import lazy_gettext as _l

from core import MenuItem

from .models import StockAccounts

MENU = (
    MenuItem(id="stock_accounting.accounts", label=_l("Stock accounts"), parent="accounting.config",
             endpoint="stock_accounting.accounts_list", model=StockAccounts, sequence=40),
)
