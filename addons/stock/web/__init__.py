"""Stock pages beyond the generic views: a transfer's buttons, its scanning page, a lot's traceability."""
from flask import Blueprint

#: mounted at /stock with the generic views (core.web.app); its files are served at /stock/static
blueprint = Blueprint("stock", __name__, static_folder="static", static_url_path="/static")

from . import counts, lots, transfers  # noqa: E402,F401  (their routes join the blueprint)
