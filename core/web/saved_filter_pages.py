"""Saved filters on every generic list (core.saved_filters): ``?saved=<id>`` applies one, a list opened without
arguments applies the user's default, and ``/<slug>/filters`` saves or deletes one."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from flask import abort, redirect, request, url_for
from flask_babel import gettext
from sqlalchemy import inspect
from werkzeug.datastructures import MultiDict

from core.bounds import fits_id
from core.models import SavedFilter
from core.saved_filters import MAX_QUERY, default_filter, delete_filter, filters_for, save_filter

from .actions import run_service
from .context import can, current_actor, db, record_or_404, require

#: what is not saved with a filter: where the list was, not what it shows
NOT_SAVED = ("page", "after", "before", "saved")


def view_key(view) -> str:
    return f"{view.addon}.{view.name}"


def saved_args(view, args) -> tuple[SavedFilter | None, MultiDict, list[str]]:
    """The list's arguments once a saved filter is applied: ``saved=<id>``, or the default of a bare list."""
    if not can(SavedFilter, "read"):
        return None, args, []
    raw = args.get("saved")
    if raw is None:
        found = default_filter(db(), current_actor(), view_key(view)) if not args else None
        return (found, _decoded(found), []) if found is not None else (None, args, [])
    rest = MultiDict([(key, value) for key, value in args.items(multi=True) if key != "saved"])
    if raw == "none":
        return None, rest, []
    number = int(raw) if raw.isdigit() and len(raw) < 20 else None
    found = db().get(SavedFilter, number) if number is not None and fits_id(
        inspect(SavedFilter).primary_key[0], number) else None
    if found is None or found.view != view_key(view):
        return None, rest, [gettext("This saved filter does not exist, or you may not use it.")]
    return found, _decoded(found), []


def _decoded(saved: SavedFilter) -> MultiDict:
    return MultiDict(parse_qsl(saved.query, keep_blank_values=True))


def refusal(saved: SavedFilter, problems: list[str]) -> str:
    return gettext("The saved filter “%(name)s” was not applied: %(problems)s", name=saved.name,
                   problems=" ".join(problems))


class Options:
    """What the templates ask about saved filters (``saved_filter_options``)."""

    @staticmethod
    def of(view) -> list[SavedFilter]:
        """The filters the user may apply to this list (none when they may not read saved filters)."""
        return filters_for(db(), current_actor(), view_key(view)) if can(SavedFilter, "read") else []

    @staticmethod
    def may_share(view) -> bool:
        """Sharing a list's filter takes the right to change its records (core.saved_filters)."""
        return can(view.model, "write")


def save(view):
    """Save the list's current arguments (the form's ``query``) under a name."""
    require(view.model, "read")
    form = request.form
    query = urlencode([(key, value) for key, value in parse_qsl(form.get("query", "")[:MAX_QUERY],
                                                                keep_blank_values=True) if key not in NOT_SAVED])
    outcome = run_service(lambda session: save_filter(
        session, current_actor(), view=view_key(view), model=view.model, name=form.get("name", ""), query=query,
        shared=form.get("shared") == "1", default=form.get("default") == "1"), success=gettext("Filter saved."))
    if not outcome.ok:
        return redirect(url_for(view.endpoint("list")) + ("?" + query if query else ""))
    return redirect(url_for(view.endpoint("list"), saved=outcome.result.id))


def delete(view, filter_id: int):
    require(view.model, "read")
    saved = record_or_404(SavedFilter, filter_id)
    if saved.view != view_key(view):
        abort(404)
    run_service(lambda session: delete_filter(session, current_actor(), saved), success=gettext("Filter deleted."))
    return redirect(url_for(view.endpoint("list"), saved="none"))
