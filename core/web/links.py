"""Where a record's own page is: the generic record page of the view that shows it, when the user may read it.

A model may have several views (leads and opportunities over one table,
invoices of four kinds); :meth:`ModelView.shows` tells which one a record
belongs to. The views are found once per application, from the routes the
core mounted (each ``<addon>.<name>_view`` endpoint carries its view).
"""
from __future__ import annotations

from flask import current_app, url_for
from sqlalchemy import inspect

from .context import can

KEY = "bottega_views_by_model"


def views_by_model() -> dict[type, list]:
    """Every mounted :class:`core.web.views.ModelView`, by model, in the order the addons were mounted."""
    found = current_app.extensions.get(KEY)
    if found is None:
        found = {}
        for endpoint, function in current_app.view_functions.items():
            view = getattr(function, "model_view", None)
            if view is not None and endpoint == view.endpoint("view"):
                found.setdefault(view.model, []).append(view)
        current_app.extensions[KEY] = found
    return found


def view_of(endpoint: str):
    """The generic view mounted at ``endpoint`` (any of its routes), or None."""
    return getattr(current_app.view_functions.get(endpoint), "model_view", None)


def record_url(record) -> str | None:
    """The URL of ``record``'s page, or None when no view shows it or the user may not read its model."""
    model = type(record)
    views = views_by_model().get(inspect(model).class_, ())
    if not views or not can(model, "read"):
        return None
    view = next((view for view in views if view.shows(record)), None)
    return url_for(view.endpoint("view"), record_id=record.id) if view is not None else None
