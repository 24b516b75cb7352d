"""Sales pages beyond the generic views: the quotation's actions (send, confirm, revise, cancel) and PDF, its
public page where the customer answers, the commissions page and the dashboard. Every page calls the services; none
holds a business rule."""
from __future__ import annotations

from flask import Blueprint

#: mounted at /sales with the generic views (core.web.app)
blueprint = Blueprint("sales", __name__, static_folder="static", static_url_path="/static")

# the routes register on import
from . import approvals, commissions, dashboard, invoicing, public, quotes  # noqa: F401,E402
