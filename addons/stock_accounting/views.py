"""The stock accounts page (Accounting › Configuration): one row per company, changed by accountants."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.web.views import ModelView

from .models import StockAccounts


class StockAccountsView(ModelView):
    importable = False


def stock_accounting_views() -> tuple[ModelView, ...]:
    return (StockAccountsView(StockAccounts, name="accounts", slug="accounts", label=_l("Stock accounts"),
                              label_plural=_l("Stock accounts"), search_fields=(),
                              list_columns=("journal_id", "stock_account_id", "input_account_id",
                                            "output_account_id", "adjustment_account_id")),)
