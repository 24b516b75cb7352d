"""The tree of locations: what lies under a location (its shelves, their bins, ...)."""
from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.bulk import ID_CHUNK

from ..models import Location

_locations = Location.__table__


def subtrees(session: Session, *, location_ids: Iterable[int]) -> dict[int, list[int]]:
    """location id -> it and every location under it, level by level (one query per level of the tree, for all
    the locations at once)."""
    roots = sorted(set(location_ids))
    children, seen, level = defaultdict(list), set(roots), roots
    while level:
        rows = []
        for first in range(0, len(level), ID_CHUNK):
            rows += session.connection().execute(
                select(_locations.c.id, _locations.c.parent_id)
                .where(_locations.c.parent_id.in_(level[first:first + ID_CHUNK])).order_by(_locations.c.id)).all()
        level = []
        for child, parent in rows:
            children[parent].append(child)
            if child not in seen:
                seen.add(child)
                level.append(child)
    return {root: _walk(root, children) for root in roots}


def _walk(root: int, children: dict[int, list[int]]) -> list[int]:
    found, visited, queue = [], {root}, deque([root])
    while queue:
        location = queue.popleft()
        found.append(location)
        for child in children.get(location, ()):
            if child not in visited:
                visited.add(child)
                queue.append(child)
    return found
