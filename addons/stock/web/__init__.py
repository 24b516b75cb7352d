"""Stock pages beyond the generic views: a transfer's buttons, its scanning page, a lot's traceability, the
reports and the replenishment list, a product's "Recompute cost"."""
from flask import Blueprint

#: mounted at /stock with the generic views (core.web.app); its files are served at /stock/static
blueprint = Blueprint("stock", __name__, static_folder="static", static_url_path="/static")

from . import counts, lots, transfers, valuation  # noqa: E402,F401  (their routes join the blueprint)
from ..reports import web as reports_web  # noqa: E402,F401  (the reports page)
from ..replenishment import web as replenishment_web  # noqa: E402,F401  (the replenishment page)
