"""The JSON API: every model with a generic view, through the same services and permissions as the web UI.

Modules, one job each: :mod:`.readable` (which fields a user may read), :mod:`.payloads` (a record as JSON,
also for webhooks), :mod:`.schemas` (pydantic models from the field layer), :mod:`.resources` (the mounted
views as resources), :mod:`.listing` (filters, sorting, keyset pages), :mod:`.auth` and :mod:`.keys` (API
keys), :mod:`.limits` (rate limits per key), :mod:`.idempotency`, :mod:`.actions` (business actions declared
by addons), :mod:`.problems` and :mod:`.errors` (RFC 9457 problems), :mod:`.openapi` (the OpenAPI document and
its page), :mod:`.endpoints` (the routes). docs/api.md describes the API for its users.
"""
from __future__ import annotations


def init_app(app, csrf) -> None:
    """Serve the API on ``app`` (after the addons' views are mounted): its routes take keys, not cookies, so the
    CSRF check does not apply to them."""
    from . import errors, openapi  # noqa: F401 (their handlers and routes join the blueprint)
    from .endpoints import blueprint
    from .resources import collect

    collect(app)
    app.register_blueprint(blueprint)
    csrf.exempt(blueprint)

