"""The API's resources: one per generic view the installed addons register, at ``/api/v1/<addon>/<slug>``.

Several addons may use the same slug (``accounts``, ``orders``...), so a resource is named like the UI's page
(``/<addon>/<slug>``). An uninstalled addon has no view mounted, hence no resource.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from flask import current_app

from core.web.views import ModelView

from . import schemas

EXTENSION_KEY = "bottega_api_resources"


@dataclass(frozen=True, eq=False)
class Resource:
    view: ModelView

    @property
    def addon(self) -> str:
        return self.view.addon

    @property
    def path(self) -> str:
        return f"{self.view.addon}/{self.view.slug}"

    @property
    def model(self) -> type:
        return self.view.model

    @cached_property
    def schema_name(self) -> str:
        return "".join(part.capitalize() for part in f"{self.addon}_{self.view.name}".split("_"))


def collect(app) -> dict[str, Resource]:
    """The resources of the app's mounted views (each view once), by path; kept in the app."""
    found, seen = {}, set()
    for function in app.view_functions.values():
        view = getattr(function, "model_view", None)
        if view is not None and id(view) not in seen:
            seen.add(id(view))
            resource = Resource(view)
            found[resource.path] = resource
    app.extensions[EXTENSION_KEY] = found
    return found


def resources() -> dict[str, Resource]:
    return current_app.extensions[EXTENSION_KEY]


def writable_fields(view: ModelView) -> dict:
    """What the view's form edits, as the request's user may (their extension fields included)."""
    fields = view.fields()
    return {name: fields[name] for name in view.form_fields if name in fields}


def line_fields(view: ModelView):
    return schemas.line_fields(view)
