"""Purchase pages beyond the generic views: the order's actions (send, confirm, approve, cancel, lock) and PDF.
Every page calls the services; none holds a business rule."""
from __future__ import annotations

from flask import Blueprint

#: mounted at /purchase with the generic views (core.web.app)
blueprint = Blueprint("purchase", __name__)

from . import orders  # noqa: F401  (routes register on import)
