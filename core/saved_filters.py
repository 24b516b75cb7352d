"""Saved list filters: a list's search, filters and groups kept under a name, personal or shared.

Sharing is a permission: a user may share a filter of a list only when they may **write** that list's records
(whoever may change the records may decide how colleagues look at them; a read-only user keeps personal
filters). A shared filter is offered to everyone of its company who may read the list, and is applied through
the same arguments as the address bar, so it can only narrow what each viewer's own rules let them see; one
that names a field its viewer may no longer read is refused as a whole (see core.web.analysis).

A user has at most one default filter per list; the list applies it when opened without arguments (the user's
own default before a shared one).
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.errors import AccessDenied, ValidationError
from core.models import SavedFilter

MAX_QUERY = 4000


def save_filter(session, actor, *, view: str, model: type, name: str, query: str, shared: bool = False,
                default: bool = False) -> SavedFilter:
    """Save the list ``view``'s arguments ``query`` as ``name`` for ``actor`` (shared with their company)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(str(_l("Give the filter a name.")), "name")
    if len(name) > 120:
        raise ValidationError(str(_l("At most %(count)s characters (this has %(actual)s).", count=120,
                                     actual=len(name))), "name")
    if len(query) > MAX_QUERY:
        raise ValidationError(str(_l("This search is too long to save.")), "query")
    if shared and not session.info["registry"].can(actor, model, "write"):
        raise AccessDenied(str(_l("Only users who may change these records may share a filter.")))
    if default:
        for mine in session.scalars(select(SavedFilter).where(SavedFilter.user_id == actor.user_id,
                                                              SavedFilter.view == view, SavedFilter.is_default)):
            mine.is_default = False
    saved = SavedFilter(company_id=actor.company_id, user_id=actor.user_id, view=view, name=name, query=query,
                        shared=shared, is_default=default)
    session.add(saved)
    session.flush()
    return saved


def filters_for(session, actor, view: str) -> list[SavedFilter]:
    """The filters ``actor`` may apply to ``view``: their own, then the shared ones, each by name."""
    found = session.scalars(select(SavedFilter).where(SavedFilter.view == view)).all()
    return sorted(found, key=lambda saved: (saved.user_id != actor.user_id, saved.name.casefold(), saved.id))


def default_filter(session, actor, view: str) -> SavedFilter | None:
    """The filter the list opens with: the user's own default, else a shared default."""
    defaults = [saved for saved in filters_for(session, actor, view) if saved.is_default]
    return defaults[0] if defaults else None


def delete_filter(session, actor, saved: SavedFilter) -> None:
    """Delete ``saved``: the session's rules let only its owner do it."""
    session.delete(saved)
    session.flush()
