"""Sales pages beyond the generic views: the quotation's actions (send, confirm, revise, cancel) and PDF, its
<<<<<<< HEAD
public page where the customer answers, and the dashboard. Every page calls the services; none holds a business
rule."""
=======
public page where the customer answers, and the commissions page. Every page calls the services; none holds a
business rule."""
>>>>>>> main
from __future__ import annotations

from flask import Blueprint

#: mounted at /sales with the generic views (core.web.app)
blueprint = Blueprint("sales", __name__, static_folder="static", static_url_path="/static")

<<<<<<< HEAD
from . import approvals, dashboard, invoicing, public, quotes  # noqa: F401,E402  (routes register on import)
=======
from . import approvals, commissions, invoicing, public, quotes  # noqa: F401,E402  (routes register on import)
>>>>>>> main
