"""Accounting pages beyond the generic views: invoice actions and JSON, bank statements, reconciliation,
reports, lock date and year-end closing. Every page calls the services; none holds a business rule."""
from __future__ import annotations

from flask import Blueprint

#: mounted at /accounting with the generic views (core.web.app); its files are served at /accounting/static
blueprint = Blueprint("accounting", __name__, static_folder="static", static_url_path="/static")

from . import bank, closing, crediting, invoices, reconcile, reports  # noqa: E402,F401  (routes register on import)
