"""Accounting pages beyond the generic views: invoice actions and JSON, bank statements, reconciliation,
reports, lock date and year-end closing. Every page calls the services; none holds a business rule."""
from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("accounting_web", __name__, url_prefix="/accounting", static_folder="static",
                      static_url_path="/static")

from . import bank, closing, invoices, reconcile, reports  # noqa: E402,F401  (routes register on import)
